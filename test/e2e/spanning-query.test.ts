import assert from 'node:assert/strict';
import { gqlData, uniqueIp } from '../helpers/client';
import { readAllSubgraphMetrics } from '../../src/federation/metrics';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';

const SPANNING = `query Span($first: Int!, $offset: Int!) {
  agents(first: $first, offset: $offset) {
    id name
    owner {
      id email
      usage { metric quantity }
      entitySchemas { id name }
      agents { id }
    }
  }
}`;

/** Requests the four subgraphs served and SQL they sent serving them (event consumers excluded). */
async function subgraphCounters(): Promise<{ requests: number; sql: number }> {
  const metrics = Object.values(await readAllSubgraphMetrics(testPlatform().config.subgraphUrls));
  return { requests: metrics.reduce((n, m) => n + m.requests, 0), sql: metrics.reduce((n, m) => n + m.requestSql, 0) };
}

describe('one query across all four subgraphs', () => {
  let tenant: TestTenant;
  let users: TestUser[];

  before(async () => {
    tenant = await createTenant();
    users = [];
    for (let i = 0; i < 6; i += 1) users.push(await registerUser(tenant));
    const auth = { bearer: tenant.secret_key, ip: uniqueIp() };
    for (let i = 0; i < 45; i += 1) {
      const owner = users[i % users.length];
      await gqlData(`mutation($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, { input: { name: `Agent ${i}`, model: 'gpt-4o-mini', ownerUserId: owner.id } }, auth);
    }
    for (const [i, user] of users.entries()) {
      await gqlData(`mutation($input: RecordUsageInput!) { recordUsage(input: $input) { id } }`, { input: { metric: 'tokens', quantity: 10 + i, userId: user.id } }, auth);
      await gqlData(
        `mutation($input: CreateEntitySchemaInput!) { createEntitySchema(input: $input) { id } }`,
        { input: { name: `schema_${i}`, fields: [{ name: 'title', type: 'string', required: true }], createdByUserId: user.id } },
        auth,
      );
    }
  });

  it('resolves agents (agents) → owner (tenancy) → usage (billing) and schemas (entities)', async () => {
    const data = await gqlData(SPANNING, { first: 20, offset: 0 }, { bearer: tenant.secret_key });
    assert.equal(data.agents.length, 20);
    const first = data.agents[0];
    const owner = users.find((u) => u.id === first.owner.id)!;
    assert.equal(first.owner.email, owner.email);
    const index = users.indexOf(owner);
    assert.deepEqual(first.owner.usage.find((u: { metric: string }) => u.metric === 'tokens'), { metric: 'tokens', quantity: 10 + index });
    assert.deepEqual(first.owner.entitySchemas.map((s: { name: string }) => s.name), [`schema_${index}`]);
    assert.equal(first.owner.agents.length, Math.floor(45 / users.length) + (index < 45 % users.length ? 1 : 0));
  });

  it('sends the same number of subgraph requests and SQL statements for 5 items as for 20 (no N+1)', async () => {
    const measure = async (first: number, offset: number) => {
      const before = await subgraphCounters();
      const data = await gqlData(SPANNING, { first, offset }, { bearer: tenant.secret_key });
      assert.equal(data.agents.length, first);
      const after = await subgraphCounters();
      return { requests: after.requests - before.requests, sql: after.sql - before.sql };
    };
    const small = await measure(5, 1);
    const large = await measure(20, 7);
    assert.ok(small.sql > 0 && small.requests > 0);
    assert.deepEqual(large, small, `5 items: ${JSON.stringify(small)}, 20 items: ${JSON.stringify(large)}`);
  });
});
