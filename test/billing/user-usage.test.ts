import assert from 'node:assert/strict';
import { gqlData, rest, uniqueEmail } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { asUser, createOrganization } from '../tenancy/organization-helpers';
import { createPlan, secretOf } from './billing-helpers';

describe("a user's own plan usage and limits, and an organization's entity usage (001)", function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let user: TestUser;
  let other: TestUser;
  let basic: { id: string };

  before(async () => {
    tenant = await createTenant();
    user = await registerUser(tenant, uniqueEmail('own-usage'));
    other = await registerUser(tenant, uniqueEmail('own-usage-other'));
    basic = await createPlan(tenant, { name: 'Basic', priceMonthly: 0, isFree: true, maxMessagesPerMonth: 100, maxTokensPerMonth: 5000 });
  });

  it('GET /v1/subscriptions/users/{user_id}/usage: 404 without a plan of their own, then the period and counters of their plan', async () => {
    const path = `/v1/subscriptions/users/${user.id}/usage`;
    const none = await rest('GET', path, undefined, asUser(tenant, user));
    assert.equal(none.status, 404);
    assert.equal(typeof none.body.detail, 'string');
    assert.equal((await rest('PUT', `/v1/subscriptions/users/${user.id}/plan/${basic.id}`, undefined, asUser(tenant, user))).status, 200);
    for (const [metric, quantity] of [['messages', 3], ['tokens', 120], ['input_tokens', 100]] as const) {
      await gqlData('mutation($u: ID!, $m: String!, $q: Float!) { recordUsage(input: {userId: $u, metric: $m, quantity: $q}) { id } }', { u: user.id, m: metric, q: quantity }, { bearer: tenant.secret_key });
    }
    const usage = await rest('GET', path, undefined, asUser(tenant, user));
    assert.equal(usage.status, 200, JSON.stringify(usage.body));
    assert.deepEqual(Object.keys(usage.body).sort(), ['created_at', 'id', 'messages_count', 'organization_id', 'period_end', 'period_start', 'plan_id', 'tokens_count', 'updated_at', 'usage_metadata', 'user_id']);
    assert.deepEqual([usage.body.user_id, usage.body.plan_id, usage.body.organization_id, usage.body.messages_count, usage.body.tokens_count], [user.id, basic.id, null, 3, 120]);
    assert.equal(usage.body.usage_metadata.input_tokens, 100);
    assert.ok(new Date(usage.body.period_end) > new Date(usage.body.period_start));
    const current = await rest('GET', '/v1/subscriptions/current', undefined, asUser(tenant, user));
    assert.equal(usage.body.id, current.body.id, 'the usage is of their subscription');
  });

  it('GET /v1/subscriptions/users/{user_id}/usage/limits: the plan limits with what is used of them', async () => {
    const limits = await rest('GET', `/v1/subscriptions/users/${user.id}/usage/limits`, undefined, asUser(tenant, user));
    assert.equal(limits.status, 200, JSON.stringify(limits.body));
    assert.equal(limits.body.limits.plan_id, basic.id);
    assert.deepEqual(limits.body.limits.messages, { allowed: true, current_usage: 3, max_limit: 100, remaining: 97 });
    assert.deepEqual(limits.body.limits.tokens, { allowed: true, current_usage: 120, max_limit: 5000, remaining: 4880 });
    assert.equal(limits.body.limits.cost_micro_usd.max_limit, 'unlimited');
  });

  it("only the user themself or the tenant's server; another tenant's key sees nothing", async () => {
    for (const suffix of ['usage', 'usage/limits']) {
      const path = `/v1/subscriptions/users/${user.id}/${suffix}`;
      assert.equal((await rest('GET', path, undefined, asUser(tenant, other))).status, 403, suffix);
      assert.equal((await rest('GET', path, undefined, secretOf(tenant))).status, 200, suffix);
      assert.equal((await rest('GET', path, undefined, { apiKey: tenant.public_key })).status, 401, `${suffix}: a public key alone`);
      assert.equal((await rest('GET', `/v1/subscriptions/users/not-a-uuid/${suffix}`, undefined, asUser(tenant, user))).status, 422);
    }
    const stranger = await createTenant();
    assert.equal((await rest('GET', `/v1/subscriptions/users/${user.id}/usage`, undefined, secretOf(stranger))).status, 404);
    const limits = await rest('GET', `/v1/subscriptions/users/${user.id}/usage/limits`, undefined, secretOf(stranger));
    assert.equal(limits.body.limits.messages.current_usage, 0, "another tenant's counters are not this user's");
  });
});
