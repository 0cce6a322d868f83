import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { IdempotencyStore } from '../../router/rest/idempotency';
import { rest } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';

/** `Idempotency-Key` on /api/v1 writes (000_… "Idempotency"), through the router. */
describe('/api/v1 Idempotency-Key', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let other: TestTenant;
  let db: Client;

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(() => db.end());

  const withKey = (t: TestTenant, key: string) => ({ bearer: t.secret_key, headers: { 'idempotency-key': key } });
  const keysNamed = async (t: TestTenant, name: string) =>
    Number((await db.query(`SELECT count(*) FROM tenancy.api_keys WHERE tenant_id = $1 AND name = $2`, [t.tenant_id, name])).rows[0].count);

  it('the same key and request answer the same status and body, and create nothing twice', async () => {
    const key = randomUUID();
    const first = await rest('POST', '/api/v1/api-keys', { name: 'Once' }, withKey(tenant, key));
    const again = await rest('POST', '/api/v1/api-keys', { name: 'Once' }, withKey(tenant, key));
    assert.equal(first.status, 201);
    assert.deepEqual([again.status, again.body], [first.status, first.body]);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(await keysNamed(tenant, 'Once'), 1);
    // Without the header every request runs.
    await rest('POST', '/api/v1/api-keys', { name: 'Twice' }, { bearer: tenant.secret_key });
    await rest('POST', '/api/v1/api-keys', { name: 'Twice' }, { bearer: tenant.secret_key });
    assert.equal(await keysNamed(tenant, 'Twice'), 2);
  });

  it('a key older than 24 hours is free again', async () => {
    const key = randomUUID();
    const first = await rest('POST', '/api/v1/api-keys', { name: 'Daily' }, withKey(tenant, key));
    // Let the 24 hours pass for this key (the store honours keys by their stored time).
    await db.query(`UPDATE platform.idempotency_keys SET created_at = now() - interval '25 hours' WHERE tenant_id = $1 AND key = $2`, [tenant.tenant_id, key]);
    const later = await rest('POST', '/api/v1/api-keys', { name: 'Daily' }, withKey(tenant, key));
    assert.deepEqual([first.status, later.status, later.headers.get('idempotent-replayed')], [201, 201, null]);
    assert.notEqual(later.body.data.id, first.body.data.id);
    assert.equal(await keysNamed(tenant, 'Daily'), 2);
  });

  it('the same key with another request is 422 naming the header', async () => {
    const key = randomUUID();
    assert.equal((await rest('POST', '/api/v1/api-keys', { name: 'First body' }, withKey(tenant, key))).status, 201);
    const reused = await rest('POST', '/api/v1/api-keys', { name: 'Second body' }, withKey(tenant, key));
    assert.equal(reused.status, 422);
    assert.deepEqual(reused.body.errors, { 'Idempotency-Key': ['The Idempotency-Key field was already used for a different request.'] });
    assert.equal(await keysNamed(tenant, 'Second body'), 0);
  });

  it('a retry while the first request still runs is 409 conflict', async () => {
    const caller = await rest('POST', '/api/v1/api-keys', { name: 'Busy caller', scopes: ['api-keys:write'] }, { bearer: tenant.secret_key });
    const body = { name: 'Busy' };
    // The first request's claim, as the store leaves it until that request has answered.
    const hash = IdempotencyStore.requestHash('POST', '/api/v1/api-keys', JSON.stringify(body));
    await db.query(`INSERT INTO platform.idempotency_keys (tenant_id, caller, key, request_hash) VALUES ($1, $2, 'busy', $3)`, [
      tenant.tenant_id,
      `key:${caller.body.data.id}`,
      hash,
    ]);
    const retry = await rest('POST', '/api/v1/api-keys', body, { bearer: caller.body.data.key, headers: { 'idempotency-key': 'busy' } });
    assert.deepEqual([retry.status, retry.body.error], [409, 'conflict']);
    assert.equal(await keysNamed(tenant, 'Busy'), 0);
    // A claim without an answer for longer than any request runs was abandoned (its router died): the key runs again.
    await db.query(`UPDATE platform.idempotency_keys SET created_at = now() - interval '6 minutes' WHERE tenant_id = $1 AND key = 'busy'`, [tenant.tenant_id]);
    const later = await rest('POST', '/api/v1/api-keys', body, { bearer: caller.body.data.key, headers: { 'idempotency-key': 'busy' } });
    assert.equal(later.status, 201);
    assert.equal(await keysNamed(tenant, 'Busy'), 1);
  });

  it('a retried DELETE answers 204 again instead of 404', async () => {
    const created = await rest('POST', '/api/v1/api-keys', { name: 'Delete me' }, { bearer: tenant.secret_key });
    const key = randomUUID();
    for (let attempt = 0; attempt < 2; attempt++) {
      const deleted = await rest('DELETE', `/api/v1/api-keys/${created.body.data.id}`, undefined, withKey(tenant, key));
      assert.deepEqual([deleted.status, deleted.body], [204, undefined]);
    }
    assert.equal((await rest('DELETE', `/api/v1/api-keys/${created.body.data.id}`, undefined, { bearer: tenant.secret_key })).status, 404);
  });

  it('keys are scoped per tenant and caller', async () => {
    const key = randomUUID();
    const mine = await rest('POST', '/api/v1/api-keys', { name: 'Shared key' }, withKey(tenant, key));
    const theirs = await rest('POST', '/api/v1/api-keys', { name: 'Shared key' }, withKey(other, key));
    assert.deepEqual([mine.status, theirs.status], [201, 201]);
    assert.notEqual(mine.body.data.id, theirs.body.data.id);
    assert.equal(await keysNamed(other, 'Shared key'), 1);
  });

  it('an over-long key is 422; GETs ignore the header', async () => {
    const tooLong = await rest('POST', '/api/v1/api-keys', { name: 'x' }, withKey(tenant, 'k'.repeat(256)));
    assert.deepEqual([tooLong.status, Object.keys(tooLong.body.errors)], [422, ['Idempotency-Key']]);
    const listed = await rest('GET', '/api/v1/api-keys', undefined, withKey(tenant, randomUUID()));
    assert.equal(listed.status, 200);
  });
});
