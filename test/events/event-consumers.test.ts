import assert from 'node:assert/strict';
import { Client } from 'pg';
import { eventually, gqlData, rest } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser } from '../helpers/tenants';

describe('events: outbox → relay → consumers', () => {
  it('a registration is metered by billing through the end_user.registered event', async () => {
    const tenant = await createTenant();
    const user = await registerUser(tenant);
    const totals = await eventually(async () => {
      const data = await gqlData(`query($userId: ID) { usageTotals(userId: $userId) { metric quantity } }`, { userId: user.id }, { bearer: tenant.secret_key });
      return data.usageTotals.length ? data.usageTotals : undefined;
    });
    assert.deepEqual(totals, [{ metric: 'end_users', quantity: 1 }]);
  });

  it('the event was written with the registration and marked published by the relay', async () => {
    const tenant = await createTenant();
    const user = await registerUser(tenant);
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      const row = await eventually(async () => {
        const { rows } = await db.query(
          `SELECT type, published_at FROM platform.outbox WHERE tenant_id = $1 AND payload->>'userId' = $2 AND type = 'end_user.registered'`,
          [tenant.tenant_id, user.id],
        );
        return rows[0]?.published_at ? rows[0] : undefined;
      });
      assert.equal(row.type, 'end_user.registered');
    } finally {
      await db.end();
    }
  });

  it('a failed registration leaves no user and no event behind', async () => {
    const tenant = await createTenant();
    const user = await registerUser(tenant);
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      const count = async () => Number((await db.query(`SELECT count(*) FROM platform.outbox WHERE tenant_id = $1`, [tenant.tenant_id])).rows[0].count);
      const before = await count();
      // same email again: the unique constraint fails inside the transaction
      const duplicate = await rest('POST', '/v1/auth/register', { email: user.email, password: 'SecurePass123' }, { apiKey: tenant.public_key });
      assert.equal(duplicate.status, 409);
      assert.equal(await count(), before);
      const users = await db.query(`SELECT count(*) FROM tenancy.end_users WHERE tenant_id = $1`, [tenant.tenant_id]);
      assert.equal(Number(users.rows[0].count), 1);
    } finally {
      await db.end();
    }
  });
});
