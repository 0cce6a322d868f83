import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { gql, gqlData, rest, uniqueIp, type CallOptions } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant, type TestUser } from '../helpers/tenants';
import { asUser, newUser } from './helpers';

const CALL_KEYS = [
  'call_metadata', 'cost_usd', 'created_at', 'duration_ms', 'error_message', 'external_agent_id', 'id', 'input_tokens',
  'organization_id', 'output_tokens', 'status', 'tenant_id', 'total_tokens', 'user_id',
];

/** 001 documents a secret key with the user's access token. */
const asServerFor = (tenant: TestTenant, user: TestUser, ip?: string): CallOptions => ({ apiKey: tenant.secret_key, bearer: user.accessToken, ip });
const register = (tenant: TestTenant, user: TestUser, agentId: string, body: Record<string, unknown>, ip?: string) =>
  rest('POST', `/v1/external-agents/${agentId}/calls`, body, asServerFor(tenant, user, ip));

const CALLS = `query($agent: ID, $user: ID, $org: ID, $skip: Int, $limit: Int) {
  externalAgentCalls(externalAgentId: $agent, userId: $user, organizationId: $org, skip: $skip, limit: $limit) {
    total items { id externalAgentId userId totalTokens costUsd status }
    totals { calls errors inputTokens outputTokens totalTokens costUsd durationMs }
  }
}`;

describe('external agents: POST /v1/external-agents/{agent_id}/calls and the analytics in GraphQL', () => {
  let tenant: TestTenant;
  let user: TestUser;
  let organizationId: string;
  let db: Client;
  before(async () => {
    tenant = await createTenant();
    user = await newUser(tenant);
    const created = await gqlData('mutation { createOrganization(input: {name: "Ext Org", slug: "ext-org"}) { id } }', {}, asUser(tenant, user));
    organizationId = created.createOrganization.id;
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(() => db.end());

  it('records a call in the documented shape (201), with what was reported', async () => {
    const agentId = randomUUID();
    const body = {
      input_tokens: 120, output_tokens: 80, total_tokens: 210, cost_usd: 0.01234567, duration_ms: 1500,
      status: 'ERROR', error_message: 'Upstream timeout', call_metadata: { workflow: 'n8n-42', nodes: [1, 2] },
      user_id: user.id, organization_id: organizationId,
    };
    const { status, body: call } = await register(tenant, user, agentId, body);
    assert.equal(status, 201, JSON.stringify(call));
    assert.deepEqual(Object.keys(call).sort(), CALL_KEYS);
    assert.deepEqual(
      { ...call, id: undefined, created_at: undefined },
      {
        id: undefined, created_at: undefined, external_agent_id: agentId, tenant_id: tenant.tenant_id, user_id: user.id, organization_id: organizationId,
        input_tokens: 120, output_tokens: 80, total_tokens: 210, cost_usd: 0.01234567, duration_ms: 1500, status: 'ERROR',
        error_message: 'Upstream timeout', call_metadata: { workflow: 'n8n-42', nodes: [1, 2] },
      },
    );
    assert.ok(Math.abs(Date.parse(call.created_at) - Date.now()) < 60_000);
  });

  it("fills what is absent: total = input + output, zeros, SUCCESS, the signed-in user and their default organization", async () => {
    const { status, body } = await register(tenant, user, randomUUID(), { input_tokens: 5, output_tokens: 7 });
    assert.equal(status, 201);
    assert.deepEqual(
      [body.total_tokens, body.cost_usd, body.duration_ms, body.status, body.error_message, body.call_metadata, body.user_id, body.organization_id],
      [12, 0, 0, 'SUCCESS', null, null, user.id, organizationId],
    );
    const empty = await register(tenant, user, randomUUID(), {});
    assert.deepEqual([empty.status, empty.body.input_tokens, empty.body.total_tokens], [201, 0, 0]);
    // a user without any organization: none
    const loner = await newUser(tenant);
    assert.equal((await register(tenant, loner, randomUUID(), {})).body.organization_id, null);
  });

  it('validates the path and body (422 naming the field)', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['not-a-uuid', {}, 'agent_id'],
      [randomUUID(), { input_tokens: -1 }, 'input_tokens'],
      [randomUUID(), { output_tokens: 1.5 }, 'output_tokens'],
      [randomUUID(), { cost_usd: 'cheap' }, 'cost_usd'],
      [randomUUID(), { cost_usd: -0.5 }, 'cost_usd'],
      [randomUUID(), { duration_ms: 'long' }, 'duration_ms'],
      [randomUUID(), { status: 'MAYBE' }, 'status'],
      [randomUUID(), { call_metadata: [1, 2] }, 'call_metadata'],
      [randomUUID(), { organization_id: 'nope' }, 'organization_id'],
    ];
    for (const [agentId, body, field] of cases) {
      const { status, body: answer } = await register(tenant, user, agentId, body);
      assert.equal(status, 422, `${agentId} ${JSON.stringify(body)} → ${status} ${JSON.stringify(answer)}`);
      assert.ok(answer.errors.some((e: { field: string }) => e.field === field), JSON.stringify(answer));
    }
  });

  it("needs a secret key with the user's token; another user's id is refused, another tenant's organization is not found", async () => {
    const path = `/v1/external-agents/${randomUUID()}/calls`;
    assert.equal((await rest('POST', path, {}, asUser(tenant, user))).status, 403, 'a public key with the token');
    assert.equal((await rest('POST', path, {}, { bearer: tenant.secret_key })).status, 401, 'a secret key alone');
    assert.equal((await rest('POST', path, {}, {})).status, 401);
    const other = await newUser(tenant);
    assert.equal((await register(tenant, user, randomUUID(), { user_id: other.id })).status, 403);
    const foreign = await createTenant();
    const foreignUser = await newUser(foreign);
    const foreignOrg = (await gqlData('mutation { createOrganization(input: {name: "Far Org", slug: "far-org"}) { id } }', {}, asUser(foreign, foreignUser))).createOrganization.id;
    const answer = await register(tenant, user, randomUUID(), { organization_id: foreignOrg });
    assert.deepEqual([answer.status, answer.body.detail], [404, 'Organization not found']);
    // a token of another tenant with this tenant's key
    assert.equal((await register(tenant, foreignUser, randomUUID(), {})).status, 401);
  });

  it('allows 120 calls per minute per IP, then 429 with Retry-After; another IP is not affected', async function () {
    this.timeout(120_000);
    const ip = uniqueIp();
    const agentId = randomUUID();
    for (let i = 0; i < 120; i++) assert.equal((await register(tenant, user, agentId, {}, ip)).status, 201, `call ${i + 1}`);
    const limited = await register(tenant, user, agentId, {}, ip);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.ok(limited.body.detail);
    assert.equal((await register(tenant, user, agentId, {}, uniqueIp())).status, 201);
  });

  it('is analytics only: nothing is metered or billed', async () => {
    const { body } = await register(tenant, user, randomUUID(), { input_tokens: 1000, output_tokens: 1000, cost_usd: 5 });
    const events = await db.query(`SELECT type FROM platform.outbox WHERE payload::text LIKE $1`, [`%${body.id}%`]);
    assert.deepEqual(events.rows, []);
    const usage = await db.query(`SELECT 1 FROM billing.usage_records WHERE metadata::text LIKE $1`, [`%${body.external_agent_id}%`]);
    assert.equal(usage.rowCount, 0);
  });

  it('reads the calls in GraphQL per agent, user and organization, with totals; grouped totals; an end user sees only their own', async () => {
    const t = await createTenant();
    const [alice, bob] = [await newUser(t), await newUser(t)];
    const org = (await gqlData('mutation { createOrganization(input: {name: "Stats Org", slug: "stats-org"}) { id } }', {}, asUser(t, alice))).createOrganization.id;
    const [agentA, agentB] = [randomUUID(), randomUUID()];
    await register(t, alice, agentA, { input_tokens: 10, output_tokens: 5, cost_usd: 0.1, duration_ms: 100 });
    await register(t, alice, agentA, { input_tokens: 20, output_tokens: 10, cost_usd: 0.2, duration_ms: 200, status: 'ERROR' });
    await register(t, bob, agentA, { input_tokens: 1, output_tokens: 1, total_tokens: 3, cost_usd: 0.05 });
    await register(t, bob, agentB, { input_tokens: 100, cost_usd: 1 });
    const server = { bearer: t.secret_key };

    const all = (await gqlData(CALLS, {}, server)).externalAgentCalls;
    assert.equal(all.total, 4);
    assert.deepEqual(all.totals, { calls: 4, errors: 1, inputTokens: 131, outputTokens: 16, totalTokens: 148, costUsd: 1.35, durationMs: 300 });
    const byAgent = (await gqlData(CALLS, { agent: agentA }, server)).externalAgentCalls;
    assert.deepEqual([byAgent.total, byAgent.totals.totalTokens, byAgent.totals.costUsd], [3, 48, 0.35]);
    const byUser = (await gqlData(CALLS, { user: bob.id }, server)).externalAgentCalls;
    assert.deepEqual([byUser.total, byUser.totals.inputTokens], [2, 101]);
    const byOrg = (await gqlData(CALLS, { org }, server)).externalAgentCalls;
    assert.deepEqual([byOrg.total, byOrg.totals.calls, new Set(byOrg.items.map((c: { userId: string }) => c.userId)).size], [2, 2, 1]);
    const paged = (await gqlData(CALLS, { skip: 1, limit: 2 }, server)).externalAgentCalls;
    assert.deepEqual([paged.items.length, paged.total, paged.totals.calls], [2, 4, 4]);

    const grouped = (await gqlData('{ externalAgentCallTotals(by: AGENT) { key totals { calls totalTokens costUsd } } }', {}, server)).externalAgentCallTotals;
    assert.deepEqual(grouped, [
      { key: agentA, totals: { calls: 3, totalTokens: 48, costUsd: 0.35 } },
      { key: agentB, totals: { calls: 1, totalTokens: 100, costUsd: 1 } },
    ]);
    const perUser = (await gqlData('{ externalAgentCallTotals(by: USER) { key totals { calls } } }', {}, server)).externalAgentCallTotals;
    assert.deepEqual(perUser.map((g: { key: string }) => g.key).sort(), [alice.id, bob.id].sort());
    const perOrg = (await gqlData('{ externalAgentCallTotals(by: ORGANIZATION) { key totals { calls } } }', {}, server)).externalAgentCallTotals;
    assert.deepEqual(perOrg, [{ key: org, totals: { calls: 2 } }, { key: null, totals: { calls: 2 } }]);

    // an end user: their own calls only; asking for another user's is refused
    const own = (await gqlData(CALLS, {}, asUser(t, bob))).externalAgentCalls;
    assert.deepEqual([own.total, own.totals.costUsd], [2, 1.05]);
    const theirs = await gql(CALLS, { user: alice.id }, asUser(t, bob));
    assert.equal(theirs.body.errors[0].extensions.code, 'FORBIDDEN');

    // another tenant sees none of it, even naming the agent
    const stranger = await createTenant();
    const foreign = (await gqlData(CALLS, { agent: agentA }, { bearer: stranger.secret_key })).externalAgentCalls;
    assert.deepEqual([foreign.total, foreign.items, foreign.totals.calls], [0, [], 0]);
    assert.deepEqual((await gqlData('{ externalAgentCallTotals(by: AGENT) { key } }', {}, { bearer: stranger.secret_key })).externalAgentCallTotals, []);
  });
});
