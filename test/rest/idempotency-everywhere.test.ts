import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { IdempotencyStore } from '../../router/rest/idempotency';
import { canonicalJson } from '../../src/identity';
import { gql, rest, type CallOptions, type HttpResult } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';
import { createSchema, inOrganization } from '../entities/entity-helpers';
import { createOrganization } from '../tenancy/organization-helpers';
import { signedInAdmin } from '../admin/admin-helpers';

/**
 * `Idempotency-Key` on every face (issue #10 item 6): 20 concurrent requests with one key make
 * one row; a replay answers the stored status and body; another request with the key is 422 in the
 * face's error body; another tenant's same key is its own. /v1 (end user), /api/v1 (secret key) and
 * GraphQL mutations over HTTP.
 */
describe('Idempotency-Key on /v1, /api/v1 and GraphQL mutations', function () {
  this.timeout(90_000);
  let tenant: TestTenant;
  let other: TestTenant;
  let db: Client;

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(() => db.end());

  const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params)).rows[0].count);
  const keyed = (options: CallOptions, key: string): CallOptions => ({ ...options, headers: { ...options.headers, 'idempotency-key': key } });

  /** 20 at once: every answer is the first's (status and body) or the 409 of a request still running. */
  function assertOneRan(results: HttpResult[], status: number, isConflict: (r: HttpResult) => boolean): HttpResult {
    const ran = results.filter((r) => r.status === status && r.headers.get('idempotent-replayed') === null);
    assert.equal(ran.length, 1, `one request ran: ${JSON.stringify(results.map((r) => [r.status, r.body]))}`);
    for (const r of results) {
      if (r.status === 409) assert.ok(isConflict(r), JSON.stringify(r.body));
      else assert.deepEqual([r.status, r.body], [status, ran[0].body]);
    }
    return ran[0];
  }

  describe('/v1 (an end user creating entity records)', () => {
    let options: CallOptions;
    let otherOptions: CallOptions;
    let schemaId: string;
    let secondOrg: string;
    const records = (schema: string) => count(`SELECT count(*) FROM entities.entity_records WHERE schema_id = $1`, [schema]);

    before(async () => {
      const [owner, stranger] = await Promise.all([registerUser(tenant), registerUser(other)]);
      // One user's organizations one after the other (concurrent creations by one user can collide on its memberships).
      const org = await createOrganization(tenant, owner);
      const [org2, strangerOrg] = await Promise.all([createOrganization(tenant, owner, 'Second'), createOrganization(other, stranger)]);
      secondOrg = org2.id;
      options = inOrganization(tenant, owner, org.id);
      otherOptions = inOrganization(other, stranger, strangerOrg.id);
      const fields = { title: { type: 'string', required: true } };
      schemaId = (await createSchema(options, { name: 'Notes', slug: `notes-${randomUUID().slice(0, 8)}`, fields_definition: fields })).id;
      await createSchema(otherOptions, { name: 'Notes', slug: 'notes', fields_definition: fields });
    });

    it('20 concurrent requests with one key create one record; a replay answers the same 201 and body', async () => {
      const key = randomUUID();
      const body = { schema_id: schemaId, data: { title: 'Once only' } };
      const results = await Promise.all(Array.from({ length: 20 }, () => rest('POST', '/v1/entity/records', body, keyed(options, key))));
      const first = assertOneRan(results, 201, (r) => /still being processed/.test(r.body.detail));
      assert.equal(await records(schemaId), 1);
      const replay = await rest('POST', '/v1/entity/records', body, keyed(options, key));
      assert.deepEqual([replay.status, replay.body, replay.headers.get('idempotent-replayed')], [201, first.body, 'true']);
      assert.equal(await records(schemaId), 1);
    });

    it('the same key with another body, or for another organization, is 422 {"detail", "errors"}', async () => {
      const key = randomUUID();
      assert.equal((await rest('POST', '/v1/entity/records', { schema_id: schemaId, data: { title: 'A' } }, keyed(options, key))).status, 201);
      const reused = await rest('POST', '/v1/entity/records', { schema_id: schemaId, data: { title: 'B' } }, keyed(options, key));
      assert.equal(reused.status, 422);
      assert.deepEqual(reused.body, {
        detail: 'Validation failed: Idempotency-Key was already used for a different request',
        errors: [{ field: 'Idempotency-Key', message: 'was already used for a different request' }],
      });
      // The organization header is part of the request: the same body for another organization is another request.
      const elsewhere = await rest('POST', '/v1/entity/records', { schema_id: schemaId, data: { title: 'A' } }, keyed({ ...options, headers: { ...options.headers, 'X-Organization-Id': secondOrg } }, key));
      assert.equal(elsewhere.status, 422);
    });

    it("another tenant's user with the same key is independent", async () => {
      const key = randomUUID();
      const mine = await rest('POST', '/v1/entity/records', { schema_id: schemaId, data: { title: 'Mine' } }, keyed(options, key));
      const theirSchema = (await db.query(`SELECT id FROM entities.entity_schemas WHERE tenant_id = $1`, [other.tenant_id])).rows[0].id;
      const theirs = await rest('POST', '/v1/entity/records', { schema_id: theirSchema, data: { title: 'Mine' } }, keyed(otherOptions, key));
      assert.deepEqual([mine.status, theirs.status, theirs.headers.get('idempotent-replayed')], [201, 201, null]);
      assert.equal(await records(theirSchema), 1);
    });
  });

  describe('/api/v1 (a secret key creating API keys)', () => {
    const keysNamed = (t: TestTenant, name: string) => count(`SELECT count(*) FROM tenancy.api_keys WHERE tenant_id = $1 AND name = $2`, [t.tenant_id, name]);

    it('20 concurrent requests with one key create one API key; 409 is {"error": "conflict"}', async () => {
      const key = randomUUID();
      const results = await Promise.all(Array.from({ length: 20 }, () => rest('POST', '/api/v1/api-keys', { name: 'Concurrent' }, keyed({ bearer: tenant.secret_key }, key))));
      assertOneRan(results, 201, (r) => r.body.error === 'conflict' && /still being processed/.test(r.body.message));
      assert.equal(await keysNamed(tenant, 'Concurrent'), 1);
    });
  });

  describe('GraphQL mutations over HTTP', () => {
    const CREATE = `mutation create($name: String!) { createApiKey(input: { name: $name }) { id name key } }`;
    const keysNamed = (t: TestTenant, name: string) => count(`SELECT count(*) FROM tenancy.api_keys WHERE tenant_id = $1 AND name = $2`, [t.tenant_id, name]);

    it('20 concurrent mutations with one key create one API key; a replay answers the same status and body', async () => {
      const key = randomUUID();
      const call = () => gql(CREATE, { name: 'GraphQL once' }, keyed({ bearer: tenant.secret_key }, key));
      const results = await Promise.all(Array.from({ length: 20 }, call));
      const first = assertOneRan(results, 200, (r) => r.body.errors?.[0]?.extensions?.code === 'CONFLICT');
      assert.equal(first.body.data.createApiKey.name, 'GraphQL once');
      assert.equal(await keysNamed(tenant, 'GraphQL once'), 1);
      const replay = await call();
      assert.deepEqual([replay.status, replay.body, replay.headers.get('idempotent-replayed')], [200, first.body, 'true']);
      // This request's own rate-limit headers, not the stored ones.
      assert.ok(replay.headers.get('x-ratelimit-remaining'));
      assert.equal(await keysNamed(tenant, 'GraphQL once'), 1);
    });

    it('the same key with other variables is 422 VALIDATION_FAILED naming the header; nothing runs', async () => {
      const key = randomUUID();
      assert.equal((await gql(CREATE, { name: 'GraphQL first' }, keyed({ bearer: tenant.secret_key }, key))).status, 200);
      const reused = await gql(CREATE, { name: 'GraphQL second' }, keyed({ bearer: tenant.secret_key }, key));
      assert.equal(reused.status, 422);
      assert.equal(reused.body.errors[0].extensions.code, 'VALIDATION_FAILED');
      assert.deepEqual(reused.body.errors[0].extensions.fields, [{ field: 'Idempotency-Key', message: 'was already used for a different request' }]);
      assert.equal(await keysNamed(tenant, 'GraphQL second'), 0);
    });

    it('a mutation with a key whose first request still runs is 409 CONFLICT; nothing runs', async () => {
      const caller = await rest('POST', '/api/v1/api-keys', { name: 'GraphQL caller', scopes: ['api-keys:write'] }, { bearer: tenant.secret_key });
      const variables = { name: 'GraphQL busy' };
      // The first request's claim, as the store keeps it until that request has answered.
      const hash = IdempotencyStore.requestHash('POST', '/graphql', canonicalJson({ query: CREATE, operationName: null, variables }));
      await db.query(`INSERT INTO platform.idempotency_keys (tenant_id, caller, key, request_hash) VALUES ($1, $2, 'busy', $3)`, [tenant.tenant_id, `key:${caller.body.data.id}`, hash]);
      const retry = await gql(CREATE, variables, keyed({ bearer: caller.body.data.key }, 'busy'));
      assert.equal(retry.status, 409);
      assert.deepEqual([retry.body.errors[0].extensions.code, retry.body.errors[0].message], ['CONFLICT', 'A request with this Idempotency-Key is still being processed; retry later.']);
      assert.equal(await keysNamed(tenant, 'GraphQL busy'), 0);
    });

    it("another tenant's same key is independent; queries and calls without the header ignore it", async () => {
      const key = randomUUID();
      const mine = await gql(CREATE, { name: 'GraphQL shared' }, keyed({ bearer: tenant.secret_key }, key));
      const theirs = await gql(CREATE, { name: 'GraphQL shared' }, keyed({ bearer: other.secret_key }, key));
      assert.notEqual(theirs.body.data.createApiKey.id, mine.body.data.createApiKey.id);
      assert.equal(await keysNamed(other, 'GraphQL shared'), 1);
      // A query with a key runs every time (and does not take the key).
      const query = await gql(`{ apiKeys { total } }`, {}, keyed({ bearer: tenant.secret_key }, randomUUID()));
      assert.equal(query.status, 200);
      assert.equal(query.headers.get('idempotent-replayed'), null);
      for (let i = 0; i < 2; i++) await gql(CREATE, { name: 'GraphQL twice' }, { bearer: tenant.secret_key });
      assert.equal(await keysNamed(tenant, 'GraphQL twice'), 2);
    });
  });

  describe('/api/v1 tool builder (a tenant admin session)', () => {
    it('a retried 2FA setup answers the first secret; the key on another request is 422 {"detail", "errors"}', async () => {
      const admin = await signedInAdmin('idem');
      const key = randomUUID();
      const as = keyed({ bearer: admin.token }, key);
      const first = await rest('POST', '/api/v1/auth/2fa/setup', undefined, as);
      const again = await rest('POST', '/api/v1/auth/2fa/setup', undefined, as);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual([again.status, again.body.secret, again.headers.get('idempotent-replayed')], [200, first.body.secret, 'true']);
      const stored = await db.query(`SELECT count(*) FROM platform.idempotency_keys WHERE key = $1 AND caller = $2`, [key, `admin:${admin.id}`]);
      assert.equal(Number(stored.rows[0].count), 1);
      const reused = await rest('PATCH', '/api/v1/auth/me', { current_password: admin.password, username: `${admin.username}-x` }, as);
      assert.deepEqual([reused.status, reused.body.errors], [422, [{ field: 'Idempotency-Key', message: 'was already used for a different request' }]]);
    });
  });
});
