import assert from 'node:assert/strict';
import { Client } from 'pg';
import { RENAME_KEY_SCOPES_SQL } from '../../subgraphs/tenancy/migrations/1764000000400-api-keys-v1';
import { rest } from '../helpers/client';
import { makeApiKey } from '../helpers/factory';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';

/** /api/v1/api-keys (000_… "API Keys") through the router: bodies, statuses, scopes, isolation, events. */
describe('/api/v1/api-keys', function () {
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

  const asTenant = () => ({ bearer: tenant.secret_key });
  const events = async (type: string, apiKeyId: string) =>
    (await db.query(`SELECT payload FROM platform.outbox WHERE tenant_id = $1 AND type = $2 AND payload->>'apiKeyId' = $3`, [tenant.tenant_id, type, apiKeyId])).rows;

  async function createKey(body: Record<string, unknown>, options = asTenant()) {
    const created = await rest('POST', '/api/v1/api-keys', body, options);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.data as { id: string; key: string; name: string; scopes: string[] };
  }

  it('creates a key: 201, the documented body with the full key once, an api_key.created event', async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const created = await rest('POST', '/api/v1/api-keys', { name: 'Mobile App Key', scopes: ['users:read'], rate_limit_tier: 'pro', expires_at: expiresAt }, asTenant());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.message, 'API key created successfully.');
    const data = created.body.data;
    assert.match(data.key, /^sk_live_/);
    assert.deepEqual(
      { name: data.name, scopes: data.scopes, rate_limit_tier: data.rate_limit_tier, expires_at: data.expires_at },
      { name: 'Mobile App Key', scopes: ['users:read'], rate_limit_tier: 'pro', expires_at: expiresAt },
    );
    assert.ok(Date.parse(data.created_at));
    assert.equal((await events('api_key.created', data.id)).length, 1);

    const got = await rest('GET', `/api/v1/api-keys/${data.id}`, undefined, asTenant());
    assert.equal(got.status, 200);
    assert.equal(got.body.data.id, data.id);
    assert.equal(got.body.data.prefix, data.key.slice(0, got.body.data.prefix.length));
    assert.equal(got.body.data.key, undefined, 'the full key is never returned after creation');
    assert.equal(got.body.data.last_used_at, null);

    const listed = await rest('GET', '/api/v1/api-keys', undefined, asTenant());
    assert.equal(listed.status, 200);
    const entry = listed.body.data.find((k: { id: string }) => k.id === data.id);
    assert.deepEqual(Object.keys(entry).sort(), [
      'created_at', 'expires_at', 'id', 'last_used_at', 'name', 'prefix', 'rate_limit_tier', 'revoked_at', 'scopes', 'type', 'updated_at',
    ]);
    // The new key works on the face within its scopes.
    assert.equal((await rest('GET', '/api/v1/api-keys', undefined, { bearer: data.key })).status, 403);
  });

  it('rotates with grace_period_hours: both keys work until the reported end, an api_key.rotated event', async () => {
    const old = await createKey({ name: 'Rotating', scopes: ['api-keys:read'] });
    const before = Date.now();
    const rotated = await rest('POST', `/api/v1/api-keys/${old.id}/rotate`, { grace_period_hours: 2 }, asTenant());
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal(rotated.body.message, 'API key rotated successfully.');
    const data = rotated.body.data;
    assert.notEqual(data.id, old.id);
    assert.match(data.key, /^sk_live_/);
    assert.deepEqual([data.name, data.scopes], ['Rotating', ['api-keys:read']]);
    const ends = Date.parse(data.grace_period_ends_at);
    assert.ok(ends >= before + 2 * 3_600_000 - 1000 && ends <= Date.now() + 2 * 3_600_000 + 1000, data.grace_period_ends_at);
    for (const key of [old.key, data.key]) assert.equal((await rest('GET', '/api/v1/api-keys', undefined, { bearer: key })).status, 200);
    assert.deepEqual((await events('api_key.rotated', old.id)).map((r) => r.payload.replacedById), [data.id]);
    // The replacement is a relation sent only when included.
    const plain = await rest('GET', `/api/v1/api-keys/${old.id}`, undefined, asTenant());
    assert.equal('replaced_by' in plain.body.data, false);
    const included = await rest('GET', `/api/v1/api-keys/${old.id}?include=replaced_by&fields=id,name`, undefined, asTenant());
    assert.deepEqual(included.body.data, { id: old.id, name: 'Rotating', replaced_by: { id: data.id, name: 'Rotating', prefix: included.body.data.replaced_by.prefix, created_at: included.body.data.replaced_by.created_at } });
    assert.ok(data.key.startsWith(included.body.data.replaced_by.prefix));
    const listed = await rest('GET', `/api/v1/api-keys?include=replaced_by&search=Rotating&sort=created_at`, undefined, asTenant());
    assert.deepEqual(listed.body.data.map((k: { replaced_by: { id: string } | null }) => k.replaced_by?.id ?? null), [data.id, null]);

    const defaulted = await rest('POST', `/api/v1/api-keys/${data.id}/rotate`, undefined, asTenant());
    assert.equal(defaulted.status, 200);
    const hours = (Date.parse(defaulted.body.data.grace_period_ends_at) - Date.now()) / 3_600_000;
    assert.ok(hours > 23.9 && hours <= 24, `default grace period is 24 hours, got ${hours}`);
  });

  it('revokes: 204 without a body, the key stops working, an api_key.revoked event', async () => {
    const key = await createKey({ name: 'Revoked', scopes: ['api-keys:read'] });
    const revoked = await rest('DELETE', `/api/v1/api-keys/${key.id}`, undefined, asTenant());
    assert.equal(revoked.status, 204);
    assert.equal(revoked.body, undefined);
    assert.equal(revoked.headers.get('content-length'), null);
    assert.equal((await rest('GET', '/api/v1/api-keys', undefined, { bearer: key.key })).status, 401);
    assert.ok((await rest('GET', `/api/v1/api-keys/${key.id}`, undefined, asTenant())).body.data.revoked_at);
    assert.equal((await events('api_key.revoked', key.id)).length, 1);
    const again = await rest('DELETE', `/api/v1/api-keys/${key.id}`, undefined, asTenant());
    assert.deepEqual([again.status, again.body.error], [404, 'not_found']);
  });

  it("another tenant's key id (or no key id at all) is 404 not_found on every endpoint", async () => {
    const theirs = await createKey({ name: 'Theirs' }, { bearer: other.secret_key });
    for (const id of [theirs.id, '00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
      for (const [method, path, body] of [
        ['GET', `/api/v1/api-keys/${id}`],
        ['POST', `/api/v1/api-keys/${id}/rotate`, {}],
        ['DELETE', `/api/v1/api-keys/${id}`],
      ] as const) {
        const answer = await rest(method, path, body, asTenant());
        assert.equal(answer.status, 404, `${method} ${path}: ${JSON.stringify(answer.body)}`);
        assert.deepEqual(answer.body, { error: 'not_found', message: 'API key not found' });
      }
    }
    const listed = await rest('GET', '/api/v1/api-keys?per_page=100', undefined, asTenant());
    assert.ok(!listed.body.data.some((k: { id: string }) => k.id === theirs.id));
    assert.equal((await rest('GET', `/api/v1/api-keys/${theirs.id}`, undefined, { bearer: other.secret_key })).status, 200);
  });

  it('a key without the documented scope gets 403 access_denied naming it', async () => {
    const readOnly = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['api-keys:read'] });
    const writeOnly = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['api-keys:write'] });
    const target = await createKey({ name: 'Target' });
    const cases = [
      [writeOnly, 'GET', '/api/v1/api-keys', 'api-keys:read'],
      [writeOnly, 'GET', `/api/v1/api-keys/${target.id}`, 'api-keys:read'],
      [readOnly, 'POST', '/api/v1/api-keys', 'api-keys:write', { name: 'Nope' }],
      [readOnly, 'POST', `/api/v1/api-keys/${target.id}/rotate`, 'api-keys:write', {}],
      [writeOnly, 'DELETE', `/api/v1/api-keys/${target.id}`, 'api-keys:delete'],
    ] as const;
    for (const [key, method, path, scope, body] of cases) {
      const answer = await rest(method, path, body, { bearer: key });
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.deepEqual(answer.body, { error: 'access_denied', message: `Insufficient permissions. Required scope: ${scope}` });
    }
    assert.equal((await rest('GET', `/api/v1/api-keys/${target.id}`, undefined, { bearer: readOnly })).status, 200);
  });

  it('a key stored with the old scope names keeps its access once the migration renamed them', async () => {
    const oldStyle = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['api_keys:write'] });
    const before = await rest('POST', '/api/v1/api-keys', { name: 'Before' }, { bearer: oldStyle });
    assert.equal(before.status, 403, 'the old name grants nothing by itself');
    await db.query(RENAME_KEY_SCOPES_SQL);
    const created = await createKey({ name: 'By an old key' }, { bearer: oldStyle });
    // api_keys:write could revoke before: it now also carries api-keys:delete.
    assert.equal((await rest('DELETE', `/api/v1/api-keys/${created.id}`, undefined, { bearer: oldStyle })).status, 204);
    const stored = await db.query(`SELECT scopes FROM tenancy.api_keys WHERE tenant_id = $1 AND 'api-keys:delete' = ANY(scopes) AND NOT ('api_keys:write' = ANY(scopes))`, [tenant.tenant_id]);
    assert.ok(stored.rows.some((r) => r.scopes.join() === 'api-keys:delete,api-keys:write'));
  });

  it('invalid input is 422 validation_failed with messages per wire field, nothing created', async () => {
    const count = async () => Number((await db.query(`SELECT count(*) FROM tenancy.api_keys WHERE tenant_id = $1`, [tenant.tenant_id])).rows[0].count);
    const keysBefore = await count();
    const missing = await rest('POST', '/api/v1/api-keys', { scopes: ['users:read'] }, asTenant());
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body, { error: 'validation_failed', message: 'The given data was invalid.', errors: { name: ['The name field is required.'] } });
    const bad = await rest('POST', '/api/v1/api-keys', { name: 'x', rate_limit_tier: 'platinum', scopes: ['posts:fly'], expires_at: '2001-01-01T00:00:00Z' }, asTenant());
    assert.equal(bad.status, 422);
    assert.deepEqual(Object.keys(bad.body.errors).sort(), ['expires_at', 'rate_limit_tier', 'scopes']);
    assert.match(bad.body.errors.rate_limit_tier[0], /^The rate_limit_tier field must be one of: free, starter, pro, agency, enterprise\.$/);
    const wrongType = await rest('POST', '/api/v1/api-keys', { name: 42 }, asTenant());
    assert.deepEqual([wrongType.status, Object.keys(wrongType.body.errors)], [422, ['name']]);
    const key = await createKey({ name: 'Grace' });
    const grace = await rest('POST', `/api/v1/api-keys/${key.id}/rotate`, { grace_period_hours: -1 }, asTenant());
    assert.deepEqual([grace.status, Object.keys(grace.body.errors ?? {})], [422, ['grace_period_hours']]);
    assert.equal(await count(), keysBefore + 1);
  });

  it('401 unauthorized without a key or with an unknown one', async () => {
    for (const options of [{}, { bearer: 'sk_live_unknown' }]) {
      const answer = await rest('GET', '/api/v1/api-keys', undefined, options);
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error, 'unauthorized');
      assert.equal(typeof answer.body.message, 'string');
    }
  });
});
