import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { PayloadError } from '../../src/events/define';
import { enqueueJob } from '../../src/events/jobs';
import { emit } from '../../src/events/outbox';
import { UsageRecorded } from '../../subgraphs/billing/usage/usage.events';
import { EndUserRegistered } from '../../subgraphs/tenancy/end-user/end-user.events';
import { SendMail } from '../../subgraphs/tenancy/mail/mail.jobs';
import { testPlatform } from '../helpers/global';

describe('emitting typed events', () => {
  let db: Client;
  const tenantId = randomUUID();

  before(async () => {
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(() => db.end());

  /** Runs `work` in a transaction that is always rolled back, and counts the tenant's outbox rows inside it. */
  async function inRolledBackTransaction(work: () => Promise<unknown>): Promise<{ rowsBefore: number; rowsAfter: number; error?: unknown }> {
    const count = async () => Number((await db.query(`SELECT count(*) FROM platform.outbox WHERE tenant_id = $1`, [tenantId])).rows[0].count);
    await db.query('BEGIN');
    try {
      const rowsBefore = await count();
      let error: unknown;
      await work().catch((e) => (error = e));
      return { rowsBefore, rowsAfter: await count(), error };
    } finally {
      await db.query('ROLLBACK');
    }
  }

  it('a payload that fails its schema throws before anything is written', async () => {
    const outcome = await inRolledBackTransaction(() => emit(db, EndUserRegistered, tenantId, { userId: 'not-a-uuid' }));
    assert.ok(outcome.error instanceof PayloadError, String(outcome.error));
    assert.match((outcome.error as Error).message, /invalid end_user\.registered payload: userId/);
    assert.equal(outcome.rowsAfter, outcome.rowsBefore);
  });

  it('a missing field is refused too (the cast of old is gone)', async () => {
    const outcome = await inRolledBackTransaction(() => emit(db, UsageRecorded, tenantId, { metric: 'tokens', quantity: 1 } as any));
    assert.ok(outcome.error instanceof PayloadError);
    assert.deepEqual(
      (outcome.error as PayloadError).issues.map((i) => i.path.join('.')),
      ['recordId', 'organizationId', 'userId', 'organizationTotal', 'recordedAt'],
    );
    assert.equal(outcome.rowsAfter, outcome.rowsBefore);
  });

  it('a valid payload is written as its schema reads it (unknown keys dropped)', async () => {
    const userId = randomUUID();
    let stored: unknown;
    const outcome = await inRolledBackTransaction(async () => {
      await emit(db, EndUserRegistered, tenantId, { userId, password: 'never stored' } as any);
      stored = (await db.query(`SELECT type, payload FROM platform.outbox WHERE tenant_id = $1`, [tenantId])).rows[0];
    });
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.rowsAfter, outcome.rowsBefore + 1);
    assert.deepEqual(stored, { type: 'end_user.registered', payload: { userId } });
  });

  it('job data is checked the same way before it is queued', async () => {
    await db.query('BEGIN');
    try {
      const count = async () => Number((await db.query(`SELECT count(*) FROM pgboss.job WHERE name = $1`, [SendMail.queue])).rows[0].count);
      const before = await count();
      await assert.rejects(enqueueJob(db, SendMail, { tenantId, to: 'jo@example.com', subject: '', text: 'x', kind: 'verify_email' }), PayloadError);
      assert.equal(await count(), before);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
