import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { signedInAdmin, operator } from '../admin/admin-helpers';
import { eventually, gql, rest, type CallOptions, type HttpResult } from '../helpers/client';
import { addAdminToWorkspace, makeApiKey } from '../helpers/factory';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';

const CHEAP_QUERY = '{ currentTenant { id } }';

/** Counts start again each aligned minute: a sequence that counts to a limit starts well inside one. */
async function awayFromWindowEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

function limits(answer: HttpResult): [string | null, string | null] {
  return [answer.headers.get('x-ratelimit-limit'), answer.headers.get('x-ratelimit-remaining')];
}

/** `count` calls, ten at a time; their statuses in order of the calls. */
async function calls(count: number, call: () => Promise<HttpResult>): Promise<number[]> {
  const statuses: number[] = [];
  for (let done = 0; done < count; done += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, count - done) }, call));
    statuses.push(...batch.map((a) => a.status));
  }
  return statuses;
}

/** Sets a caller's shared count in this window, as other router replicas' requests would. */
async function setSharedCount(counterKey: string, hits: number): Promise<void> {
  const db = new Client({ connectionString: testPlatform().databaseUrl });
  await db.connect();
  try {
    const { rowCount } = await db.query(`UPDATE platform.rate_limits SET hits = $2 WHERE key = $1`, [counterKey, hits]);
    assert.equal(rowCount, 1, `no counter ${counterKey}`);
  } finally {
    await db.end();
  }
}

async function keyIdOf(tenant: TestTenant, type: 'secret' | 'public', name: string): Promise<string> {
  const list = await rest('GET', `/api/v1/api-keys?per_page=100`, undefined, { bearer: tenant.secret_key });
  const key = list.body.data.find((k: { type: string; name: string }) => k.type === type && k.name === name);
  assert.ok(key, `no ${type} key ${name}`);
  return key.id;
}

async function operatorToken(): Promise<string> {
  const { username, password } = await operator();
  const login = await rest('POST', '/api/v1/auth/login', { username, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return login.body.access_token;
}

describe('rate limits by tenant tier', () => {
  it('a free workspace: 60 a minute for each key across GraphQL and /api/v1, then 429 on both (other tenants unaffected)', async () => {
    const free = await createTenant({ tier: 'free' });
    const other = await createTenant({ tier: 'free' });
    const asFree: CallOptions = { bearer: free.secret_key };
    await awayFromWindowEnd();
    const graphql = await gql(CHEAP_QUERY, {}, asFree);
    assert.equal(graphql.status, 200);
    assert.deepEqual(limits(graphql), ['60', '59']);
    const reset = Number(graphql.headers.get('x-ratelimit-reset'));
    assert.ok(reset % 60 === 0 && reset > Date.now() / 1000 && reset <= Date.now() / 1000 + 60, String(reset));
    const core = await rest('GET', '/api/v1/api-keys', undefined, asFree);
    assert.deepEqual([core.status, ...limits(core)], [200, '60', '58'], 'one budget for both, a REST call counted once');

    // 58 more fit; the 61st request of the minute does not, whichever way it comes.
    assert.deepEqual(await calls(58, () => gql(CHEAP_QUERY, {}, asFree)), Array(58).fill(200));
    const refused = await gql(CHEAP_QUERY, {}, asFree);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.errors.length, 1);
    assert.equal(refused.body.errors[0].extensions.code, 'RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.deepEqual(limits(refused), ['60', '0']);
    assert.match(refused.body.errors[0].message, new RegExp(`retry after ${retryAfter} seconds`));

    const coreRefused = await rest('GET', '/api/v1/api-keys', undefined, asFree);
    assert.equal(coreRefused.status, 429);
    assert.ok(Number(coreRefused.headers.get('retry-after')) >= 1);
    assert.deepEqual(coreRefused.body, {
      error: 'rate_limit_exceeded',
      message: coreRefused.body.message,
      retry_after: Number(coreRefused.headers.get('retry-after')),
      limit: 60,
      remaining: 0,
      reset_at: new Date(reset * 1000).toISOString(),
    });

    const unaffected = await gql(CHEAP_QUERY, {}, { bearer: other.secret_key });
    assert.deepEqual([unaffected.status, ...limits(unaffected)], [200, '60', '59']);
  });

  it('/v1 (end user) and the tool-builder face (tenant admin in the workspace) answer 429 as {"detail": …}', async () => {
    const free = await createTenant({ tier: 'free' });
    const user = await registerUser(free);
    const asUser: CallOptions = { apiKey: free.public_key, bearer: user.accessToken };
    const admin = await signedInAdmin('limited');
    await addAdminToWorkspace(admin.id, free.tenant_id, 'admin');
    const asAdmin: CallOptions = { bearer: admin.token, headers: { 'x-workspace-id': free.tenant_id } };
    await awayFromWindowEnd();

    const first = await rest('GET', '/v1/auth/me', undefined, asUser);
    assert.deepEqual([first.status, ...limits(first)], [200, '60', '59']);
    assert.deepEqual(await calls(59, () => rest('GET', '/v1/auth/me', undefined, asUser)), Array(59).fill(200));
    const v1 = await rest('GET', '/v1/auth/me', undefined, asUser);
    assert.equal(v1.status, 429);
    assert.deepEqual(Object.keys(v1.body), ['detail']);
    assert.match(v1.body.detail, /^Too many requests\. Please retry after \d+ seconds\.$/);
    assert.ok(Number(v1.headers.get('retry-after')) >= 1);

    const adminMe = await rest('GET', '/api/v1/auth/me', undefined, asAdmin);
    assert.deepEqual([adminMe.status, ...limits(adminMe)], [200, '60', '59'], "the admin's own budget, at the workspace's tier");
    assert.deepEqual(await calls(59, () => rest('GET', '/api/v1/auth/me', undefined, asAdmin)), Array(59).fill(200));
    const toolBuilder = await rest('GET', '/api/v1/auth/me', undefined, asAdmin);
    assert.equal(toolBuilder.status, 429);
    assert.deepEqual(Object.keys(toolBuilder.body), ['detail']);
    assert.equal(toolBuilder.headers.get('x-ratelimit-remaining'), '0');
  });

  it('burst: past the rate, Remaining stays 0 and requests pass until rate × (1 + burst); an API key’s own tier only lowers it', async () => {
    const tenant = await createTenant({ tier: 'pro' });
    const starterKey = await makeApiKey(tenant.tenant_id, { name: 'starter key', type: 'secret', scopes: ['*'], rateLimitTier: 'starter' });
    const enterpriseKey = await makeApiKey(tenant.tenant_id, { name: 'enterprise key', type: 'secret', scopes: ['*'], rateLimitTier: 'enterprise' });
    await awayFromWindowEnd();
    const pro = await gql(CHEAP_QUERY, {}, { bearer: tenant.secret_key });
    assert.deepEqual(limits(pro), ['5000', '4999']);
    const notRaised = await gql(CHEAP_QUERY, {}, { bearer: enterpriseKey });
    assert.deepEqual(limits(notRaised), ['5000', '4999'], 'a key cannot run above its workspace');
    const starter = await gql(CHEAP_QUERY, {}, { bearer: starterKey });
    assert.deepEqual(limits(starter), ['1000', '999']);

    // Other replicas used up the starter rate (1,000): this router learns it at its next sync.
    await setSharedCount(`rate:${await keyIdOf(tenant, 'secret', 'starter key')}`, 1000);
    const onBurst = await eventually(async () => {
      const answer = await gql(CHEAP_QUERY, {}, { bearer: starterKey });
      return answer.headers.get('x-ratelimit-remaining') === '0' ? answer : undefined;
    });
    assert.equal(onBurst.status, 200, 'the 20% burst still passes');
    // …and then the burst (200 more): refused.
    await setSharedCount(`rate:${await keyIdOf(tenant, 'secret', 'starter key')}`, 1200);
    const refused = await eventually(async () => {
      const answer = await gql(CHEAP_QUERY, {}, { bearer: starterKey });
      return answer.status === 429 ? answer : undefined;
    });
    assert.equal(refused.body.errors[0].extensions.code, 'RATE_LIMITED');
    assert.equal((await gql(CHEAP_QUERY, {}, { bearer: tenant.secret_key })).status, 200, 'other keys of the workspace keep their own budget');
  });

  it('the operator sets a workspace’s tier (setWorkspaceTier): the next request runs at it; nobody else may', async () => {
    const tenant = await createTenant({ tier: 'free' });
    const other = await createTenant({ tier: 'free' });
    const token = await operatorToken();
    const setTier = (id: string, tier: string, options: CallOptions = { bearer: token }) =>
      gql('mutation($id: ID!, $tier: String!) { setWorkspaceTier(id: $id, tier: $tier) { id tier } }', { id, tier }, options);

    const set = await setTier(tenant.tenant_id, 'agency');
    assert.deepEqual(set.body.data, { setWorkspaceTier: { id: tenant.tenant_id, tier: 'agency' } });
    const after = await gql(CHEAP_QUERY, {}, { bearer: tenant.secret_key });
    assert.equal(after.headers.get('x-ratelimit-limit'), '20000');
    assert.equal((await gql(CHEAP_QUERY, {}, { bearer: other.secret_key })).headers.get('x-ratelimit-limit'), '60', 'only that workspace');

    const invalid = await setTier(tenant.tenant_id, 'platinum');
    assert.equal(invalid.body.errors[0].extensions.code, 'VALIDATION_FAILED');
    const unknown = await setTier('00000000-0000-4000-8000-000000000000', 'pro');
    assert.equal(unknown.body.errors[0].extensions.code, 'NOT_FOUND');

    const admin = await signedInAdmin('not-operator');
    await addAdminToWorkspace(admin.id, tenant.tenant_id, 'owner');
    const byOwner = await setTier(tenant.tenant_id, 'enterprise', { bearer: admin.token });
    assert.equal(byOwner.body.errors[0].extensions.code, 'FORBIDDEN');
    const byKey = await setTier(tenant.tenant_id, 'enterprise', { bearer: tenant.secret_key });
    assert.equal(byKey.body.errors[0].extensions.code, 'UNAUTHENTICATED', 'a key is no admin session');
    assert.equal((await gql(CHEAP_QUERY, {}, { bearer: tenant.secret_key })).headers.get('x-ratelimit-limit'), '20000', 'unchanged by the refused calls');
  });

  it('npm run tenant:create -- --tier pro makes a pro workspace (default free); an unknown tier is refused', async () => {
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'scripts/tenant-create.ts', ...args], {
        cwd: path.resolve(__dirname, '../..'),
        env: { ...process.env, DATABASE_URL: testPlatform().databaseUrl, LOG_LEVEL: 'error' },
      });
    const [pro, plain] = await Promise.all([cli('--name', 'Tier Pro', '--tier', 'pro', '--json'), cli('--name', 'Tier Default', '--json')]);
    const limitOf = async (stdout: string) => (await gql(CHEAP_QUERY, {}, { bearer: JSON.parse(stdout).secret_key })).headers.get('x-ratelimit-limit');
    assert.equal(await limitOf(pro.stdout), '5000');
    assert.equal(await limitOf(plain.stdout), '60');
    await assert.rejects(cli('--name', 'Tier Bad', '--tier', 'platinum'), (error: { code: number; stderr: string }) => error.code === 2 && /--tier must be one of: free, starter, pro, agency, enterprise/.test(error.stderr));
  });

  it('anonymous calls carry no tier headers (their own per-IP limits apply)', async () => {
    const anonymous = await rest('GET', '/api/v1/auth/status');
    assert.equal(anonymous.status, 200);
    assert.equal(anonymous.headers.get('x-ratelimit-limit'), null);
  });
});
