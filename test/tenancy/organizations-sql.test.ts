import assert from 'node:assert/strict';
import { gqlData } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { readAllSubgraphMetrics } from '../../src/federation/metrics';
import { addMember, asUser, createOrganization } from './organization-helpers';

const MY_ORGANIZATIONS = `{ myOrganizations { id name role members { userId email displayName role joinedAt } departments { id name } } }`;

/** SQL statements the subgraphs sent serving requests (event consumers excluded). */
async function requestSql(): Promise<number> {
  const metrics = Object.values(await readAllSubgraphMetrics(testPlatform().config.subgraphUrls));
  return metrics.reduce((n, m) => n + m.requestSql, 0);
}

describe('myOrganizations with members: a constant number of SQL statements (DataLoader)', function () {
  this.timeout(300_000);
  let tenant: TestTenant;
  let few: TestUser;
  let many: TestUser;
  let colleague: TestUser;

  before(async () => {
    tenant = await createTenant();
    [few, many, colleague] = await Promise.all([registerUser(tenant), registerUser(tenant), registerUser(tenant)]);
    for (let i = 0; i < 5; i += 1) {
      const org = await createOrganization(tenant, few, `Few ${i}`);
      if (i < 2) await addMember(tenant, org.id, few, colleague, 'member');
    }
    for (let i = 0; i < 50; i += 1) {
      const org = await createOrganization(tenant, many, `Many ${i}`);
      if (i < 2) await addMember(tenant, org.id, many, colleague, 'developer');
    }
  });

  it('runs as many statements for 50 organizations as for 5', async () => {
    const measure = async (user: TestUser, expected: number) => {
      const before = await requestSql();
      const data = await gqlData(MY_ORGANIZATIONS, {}, asUser(tenant, user));
      const after = await requestSql();
      assert.equal(data.myOrganizations.length, expected);
      assert.equal(data.myOrganizations[0].members.length, 2);
      assert.deepEqual(data.myOrganizations[0].members.map((m: { email: string }) => m.email), [user.email, colleague.email]);
      assert.ok(data.myOrganizations.every((o: { role: string; departments: unknown[] }) => o.role === 'owner' && o.departments.length === 1));
      return after - before;
    };
    const small = await measure(few, 5);
    const large = await measure(many, 50);
    assert.ok(small > 0);
    assert.equal(large, small, `5 organizations: ${small} statements, 50 organizations: ${large}`);
  });
});
