import assert from 'node:assert/strict';
import { Client } from 'pg';
import { API_V1_FACE } from '../../router/rest/api-v1';
import { eventually, rest } from '../helpers/client';
import { expireApiKeyNow } from '../helpers/factory';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';

/**
 * The conventions of the /api/v1 face (000_… "Common Parameters" and "Error Responses") that hold
 * for every list it serves, tested on the API keys list.
 */
describe('/api/v1 conventions', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  /** The tenant's keys by name: its two bootstrap keys plus these. */
  const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
  const ids: Record<string, string> = {};

  const get = (query: string) => rest('GET', `/api/v1/api-keys${query}`, undefined, { bearer: tenant.secret_key });
  const names = (body: { data: Array<{ name: string }> }) => body.data.map((k) => k.name);

  before(async () => {
    tenant = await createTenant();
    for (const name of NAMES) {
      const created = await rest('POST', '/api/v1/api-keys', { name: `k-${name}`, scopes: ['users:read'] }, { bearer: tenant.secret_key });
      ids[name] = created.body.data.id;
    }
  });

  it('pages: {data, meta, links} with absolute links that keep the other parameters', async () => {
    const page = await get('?per_page=2&page=2&sort=name&search=k-');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.deepEqual(names(page.body), ['k-charlie', 'k-delta']);
    assert.deepEqual(page.body.meta, { current_page: 2, from: 3, last_page: 3, per_page: 2, to: 4, total: 5 });
    const base = `${testPlatform().routerUrl}/api/v1/api-keys?per_page=2&page=`;
    assert.deepEqual(page.body.links, {
      first: `${base}1&sort=name&search=k-`,
      last: `${base}3&sort=name&search=k-`,
      prev: `${base}1&sort=name&search=k-`,
      next: `${base}3&sort=name&search=k-`,
    });
    const next = await rest('GET', new URL(page.body.links.next).pathname + new URL(page.body.links.next).search, undefined, { bearer: tenant.secret_key });
    assert.deepEqual(names(next.body), ['k-echo']);
    assert.deepEqual([next.body.meta.from, next.body.meta.to, next.body.links.next], [5, 5, null]);
  });

  it('defaults to page 1 of 25; past the last page the data is empty', async () => {
    const all = await get('');
    assert.deepEqual(
      { ...all.body.meta, total: undefined },
      { current_page: 1, from: 1, last_page: 1, per_page: 25, to: all.body.data.length, total: undefined },
    );
    assert.equal(all.body.meta.total, NAMES.length + 2);
    assert.equal(all.body.links.prev, null);
    const beyond = await get('?page=9');
    assert.deepEqual([beyond.body.data, beyond.body.meta.from, beyond.body.meta.to], [[], null, null]);
  });

  it('sorts by several fields, descending with "-"', async () => {
    const byNameDesc = await get('?search=k-&sort=-name');
    assert.deepEqual(names(byNameDesc.body), NAMES.map((n) => `k-${n}`).reverse());
    const byCreated = await get('?search=k-&sort=-created_at,name');
    assert.deepEqual(names(byCreated.body), NAMES.map((n) => `k-${n}`).reverse());
  });

  it('filters by status, dates and search', async () => {
    await rest('DELETE', `/api/v1/api-keys/${ids.bravo}`, undefined, { bearer: tenant.secret_key });
    await expireApiKeyNow(tenant.tenant_id, ids.charlie);
    assert.deepEqual(names((await get('?status=revoked')).body), ['k-bravo']);
    assert.deepEqual(names((await get('?status=expired')).body), ['k-charlie']);
    assert.ok(!names((await get('?status=active')).body).some((n) => n === 'k-bravo' || n === 'k-charlie'));
    assert.deepEqual(names((await get('?search=ELT')).body), ['k-delta']);
    assert.deepEqual(names((await get('?search=%25')).body), [], '% is searched literally');
    const first = (await get(`/${ids.alpha}`)).body.data;
    assert.deepEqual((await get(`?created_after=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body.data, []);
    assert.ok(names((await get(`?created_before=${encodeURIComponent(first.created_at)}`)).body).includes('k-alpha'));
    assert.ok(!names((await get(`?updated_before=${encodeURIComponent(first.created_at)}`)).body).includes('k-bravo'), 'revoking updated bravo');
    assert.ok(names((await get(`?updated_after=${encodeURIComponent(first.created_at)}`)).body).includes('k-bravo'));
  });

  it('projects fields of each item and of a single resource', async () => {
    const listed = await get('?fields=id,name&search=alpha');
    assert.deepEqual(listed.body.data, [{ id: ids.alpha, name: 'k-alpha' }]);
    const one = await get(`/${ids.alpha}?fields=name,scopes`);
    assert.deepEqual(one.body, { data: { name: 'k-alpha', scopes: ['users:read'] } });
  });

  it('unknown or malformed list parameters are 422 validation_failed naming them', async () => {
    const cases: Array<[string, string]> = [
      ['?per_page=101', 'per_page'],
      ['?per_page=0', 'per_page'],
      ['?per_page=ten', 'per_page'],
      ['?page=0', 'page'],
      ['?sort=-colour', 'sort'],
      ['?sort=name,', 'sort'],
      ['?status=sleeping', 'status'],
      ['?created_after=yesterday', 'created_after'],
      ['?created_before=2026-13-01', 'created_before'],
      ['?updated_after=1', 'updated_after'],
      ['?updated_before=now', 'updated_before'],
      ['?fields=id,colour', 'fields'],
      ['?include=owner', 'include'],
    ];
    for (const [query, field] of cases) {
      const answer = await get(query);
      assert.equal(answer.status, 422, `${query}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error, 'validation_failed');
      assert.equal(answer.body.message, 'The given data was invalid.');
      assert.deepEqual(Object.keys(answer.body.errors), [field], query);
      assert.match(answer.body.errors[field][0], new RegExp(`^The ${field} field `));
    }
  });

  it('answers unknown routes, methods and bodies in the face’s error shape', async () => {
    const unknown = await rest('GET', '/api/v1/nothing-here', undefined, { bearer: tenant.secret_key });
    assert.deepEqual([unknown.status, unknown.body.error], [404, 'not_found']);
    const method = await rest('PUT', '/api/v1/api-keys', {}, { bearer: tenant.secret_key });
    assert.deepEqual([method.status, method.body.error], [405, 'method_not_allowed']);
    const malformed = await rest('POST', '/api/v1/api-keys', '{"name":', { bearer: tenant.secret_key });
    assert.deepEqual([malformed.status, malformed.body.error], [400, 'bad_request']);
    const publicKey = await rest('GET', '/api/v1/api-keys', undefined, { apiKey: tenant.public_key });
    assert.deepEqual([publicKey.status, publicKey.body.error], [403, 'access_denied']);
  });

  it('every answer carries the key’s X-RateLimit headers; beyond the limit, 429 rate_limit_exceeded', async () => {
    // The key's own tier holds it below its (enterprise) workspace: starter, 1,000/min + 20% burst.
    const created = await rest('POST', '/api/v1/api-keys', { name: 'limited', scopes: ['api-keys:read'], rate_limit_tier: 'starter' }, { bearer: tenant.secret_key });
    const limited = { bearer: created.body.data.key as string };
    const first = await rest('GET', '/api/v1/api-keys', undefined, limited);
    const second = await rest('GET', '/api/v1/api-keys?per_page=500', undefined, limited);
    const limit = Number(first.headers.get('x-ratelimit-limit'));
    assert.equal(limit, 1000);
    assert.deepEqual([first.headers.get('x-ratelimit-remaining'), second.headers.get('x-ratelimit-remaining')], [String(limit - 1), String(limit - 2)]);
    assert.equal(second.status, 422, 'failed requests count too, and carry the headers');
    const reset = Number(first.headers.get('x-ratelimit-reset'));
    assert.ok(reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 61, String(reset));
    // Use up the minute's allowance (rate + burst) here rather than with 1,200 requests; the router
    // learns the shared count at its next sync (within a quarter of a second).
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE platform.rate_limits SET hits = $2 WHERE key = $1`, [`rate:${created.body.data.id}`, limit * 1.2]);
    } finally {
      await db.end();
    }
    const refused = await eventually(async () => {
      const answer = await rest('GET', '/api/v1/api-keys', undefined, limited);
      return answer.status === 429 ? answer : undefined;
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
    assert.deepEqual(refused.body, {
      error: 'rate_limit_exceeded',
      message: `Too many requests. Please retry after ${retryAfter} seconds.`,
      retry_after: retryAfter,
      limit,
      remaining: 0,
      reset_at: refused.body.reset_at,
    });
    assert.ok(Date.parse(refused.body.reset_at) > Date.now());
    assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
    assert.equal((await rest('GET', '/api/v1/api-keys', undefined, { bearer: tenant.secret_key })).status, 200, 'other keys are not limited');
  });

  it('a server error names only the request id; 429 says when to retry', () => {
    const internal = API_V1_FACE.errorBody({ code: 'INTERNAL', status: 500, message: 'TypeError: x is undefined at y.ts:12', requestId: 'req_1' });
    assert.deepEqual(internal, { error: 'server_error', message: 'An unexpected error occurred.', request_id: 'req_1' });
    const limited = API_V1_FACE.errorBody({ code: 'RATE_LIMITED', status: 429, message: 'Too many requests. Try again in 60 seconds.', retryAfter: 60 });
    assert.deepEqual(limited, { error: 'rate_limit_exceeded', message: 'Too many requests. Try again in 60 seconds.', retry_after: 60 });
  });

  it('the OpenAPI document of the face lists its endpoints', async () => {
    const doc = await rest('GET', '/api/v1/openapi.json');
    assert.equal(doc.status, 200);
    const names = (operation: { parameters: Array<{ name: string }> }) => operation.parameters.map((p) => p.name);
    const list = names(doc.body.paths['/api/v1/api-keys'].get);
    for (const name of ['page', 'per_page', 'sort', 'status', 'search', 'created_after', 'updated_before', 'fields', 'include']) assert.ok(list.includes(name), name);
    assert.ok(!list.includes('Idempotency-Key'));
    assert.ok(names(doc.body.paths['/api/v1/api-keys/{id}/rotate'].post).includes('Idempotency-Key'));
    // Bodies are documented as the face sends them: the page envelope, {message, data}, {data}.
    const schemas = doc.body.components.schemas;
    const bodyOf = (path: string, method: string, status: number) => doc.body.paths[path][method].responses[status].content['application/json'].schema.$ref.split('/').at(-1);
    assert.deepEqual(schemas[bodyOf('/api/v1/api-keys', 'get', 200)].required, ['data', 'meta', 'links']);
    assert.deepEqual(schemas[bodyOf('/api/v1/api-keys', 'post', 201)].required, ['message', 'data']);
    assert.deepEqual(schemas[bodyOf('/api/v1/api-keys/{id}', 'get', 200)].required, ['data']);
  });
});

