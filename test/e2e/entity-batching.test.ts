import assert from 'node:assert/strict';
import { SUBGRAPH_NAMES } from '../../src/config';
import { readSubgraphMetrics } from '../../src/federation/metrics';
import { gqlData, uniqueIp } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';

const PAGE = `query Page($offset: Int!) { agents(first: 3, offset: $offset) { id name owner { id email agents { id } entitySchemas { id } } } }`;

async function seedAgents(tenant: TestTenant, prefix: string, count: number): Promise<void> {
  const users = [await registerUser(tenant), await registerUser(tenant)];
  for (let i = 0; i < count; i += 1) {
    await gqlData(
      `mutation($input: CreateAgentInput!) { createAgent(input: $input) { id } }`,
      { input: { name: `${prefix}-${i}`, model: 'gpt-4o-mini', ownerUserId: users[i % 2].id } },
      { bearer: tenant.secret_key, ip: uniqueIp() },
    );
  }
}

/** GraphQL requests all four subgraphs executed while `work` ran (nothing else runs meanwhile). */
async function subgraphCallsDuring(work: () => Promise<unknown>): Promise<number> {
  const urls = SUBGRAPH_NAMES.map((name) => testPlatform().config.subgraphUrls[name]);
  const count = async () => (await Promise.all(urls.map(readSubgraphMetrics))).reduce((sum, m) => sum + m.requests, 0);
  const before = await count();
  await work();
  return (await count()) - before;
}

const CONCURRENT = 16;

describe('cross-request entity batching through the running router', () => {
  let a: TestTenant;
  let b: TestTenant;

  before(async () => {
    [a, b] = await Promise.all([createTenant(), createTenant()]);
    await seedAgents(a, 'a', 24);
    await seedAgents(b, 'b', 24);
  });

  it('never merges different callers: two tenants at once each get only their own data', async () => {
    const requests = [];
    for (let offset = 0; offset < 24; offset += 3) {
      requests.push(gqlData(PAGE, { offset }, { bearer: a.secret_key }).then((d) => ({ tenant: 'a', d })));
      requests.push(gqlData(PAGE, { offset }, { bearer: b.secret_key }).then((d) => ({ tenant: 'b', d })));
    }
    for (const { tenant, d } of await Promise.all(requests)) {
      for (const agent of d.agents) {
        assert.ok(agent.name.startsWith(`${tenant}-`), `${tenant} saw ${agent.name}`);
        assert.ok(agent.owner, 'owner resolved');
      }
    }
  });

  describe('one caller (one key, one client IP: the same signed identity)', () => {
    const ip = uniqueIp();
    const page = (offset: number) => gqlData(PAGE, { offset }, { bearer: a.secret_key, ip });
    let callsPerPage: number;

    before(async () => {
      callsPerPage = await subgraphCallsDuring(() => page(0)); // alone: nothing to merge with
    });

    it('merges its entity fetches across requests, and the subgraphs accept the merged calls', async () => {
      let pages: any[] = [];
      const calls = await subgraphCallsDuring(async () => {
        pages = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => page(i)));
      });
      // gqlData fails on any error: a merged call signed for the wrong variables would fail here.
      for (const { agents } of pages) assert.ok(agents.every((agent: any) => agent.owner?.email && Array.isArray(agent.owner.entitySchemas)));
      assert.ok(calls < CONCURRENT * callsPerPage, `${calls} subgraph calls for ${CONCURRENT} pages of ${callsPerPage} calls each: nothing was merged`);
    });

    it('identical concurrent queries still go to the subgraphs as one in-flight request', async () => {
      const calls = await subgraphCallsDuring(() => Promise.all(Array.from({ length: CONCURRENT }, () => page(3))));
      assert.ok(calls < CONCURRENT, `${calls} subgraph calls for ${CONCURRENT} identical pages: identical requests were signed differently`);
    });
  });
});
