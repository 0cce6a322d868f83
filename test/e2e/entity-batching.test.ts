import assert from 'node:assert/strict';
import { gqlData, uniqueIp } from '../helpers/client';
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
});
