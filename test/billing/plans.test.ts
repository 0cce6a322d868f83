import assert from 'node:assert/strict';
import { gql, rest, uniqueEmail } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { asUser, outbox } from '../tenancy/organization-helpers';
import { createPlan, secretOf } from './billing-helpers';

describe('plans (GraphQL and /v1/plans, /v1/subscriptions/plans, /v1/billing/available-plans)', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let user: TestUser;

  before(async () => {
    tenant = await createTenant();
    user = await registerUser(tenant, uniqueEmail('plans'));
  });

  it('a new tenant starts with exactly one free plan', async () => {
    const fresh = await createTenant();
    const reader = asUser(fresh, await registerUser(fresh));
    const [first, second] = await Promise.all([rest('GET', '/v1/plans/free', undefined, reader), rest('GET', '/v1/plans/active', undefined, reader)]);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.length, 1);
    assert.deepEqual(second.body.map((p: { id: string }) => p.id), [first.body[0].id]);
    assert.equal(first.body[0].is_free, true);
    assert.equal(first.body[0].price_monthly, 0);
    assert.equal((await outbox(fresh.tenant_id)).filter((e) => e.type === 'plan.created').length, 1);
  });

  it('createPlan (secret key) shows in the documented shapes: major units on /v1/plans, cents on available-plans', async () => {
    const plan = await createPlan(tenant, {
      name: 'Pro Plan', description: 'For growing teams', priceMonthly: 29.99, priceYearly: 299.99, currency: 'usd',
      features: ['API Access', 'Priority Support'], maxMessagesPerMonth: 1000, maxCostUsdPerMonth: 100, maxTokensPerMonth: null,
    });
    const got = await rest('GET', `/v1/plans/${plan.id}`, undefined, asUser(tenant, user));
    assert.equal(got.status, 200);
    assert.equal(got.body.price_monthly, 29.99);
    assert.equal(got.body.price_yearly, 299.99);
    assert.equal(got.body.max_cost_usd_per_month, 100);
    assert.equal(got.body.max_messages_per_month, 1000);
    assert.deepEqual(got.body.features, ['API Access', 'Priority Support']);
    assert.equal(got.body.is_active, true);
    assert.deepEqual((await rest('GET', `/v1/subscriptions/plans/${plan.id}`, undefined, asUser(tenant, user))).body, got.body);

    const available = await rest('GET', '/v1/billing/available-plans', undefined, secretOf(tenant));
    assert.equal(available.status, 200);
    assert.equal(available.body.success, true);
    const pro = available.body.plans.find((p: { id: string }) => p.id === plan.id);
    assert.equal(pro.price_cents, 2999);
    assert.equal(pro.price_display, '$29.99/month');
    assert.equal(available.body.plans.find((p: { is_free: boolean }) => p.is_free).price_display, 'Free');
  });

  it('/v1/plans pages with skip and limit; archived plans only with include_inactive', async () => {
    const own = await createTenant();
    const reader = asUser(own, await registerUser(own));
    const archived = await createPlan(own, { name: 'Legacy', priceMonthly: 5 });
    await createPlan(own, { name: 'Team', priceMonthly: 10 });
    const archive = await gql(`mutation($id: ID!) { archivePlan(planId: $id) { isActive } }`, { id: archived.id }, { bearer: own.secret_key });
    assert.equal(archive.body.data.archivePlan.isActive, false);

    const page = await rest('GET', '/v1/plans?skip=0&limit=1', undefined, reader);
    assert.equal(page.status, 200);
    assert.deepEqual({ ...page.body, plans: page.body.plans.map((p: { name: string }) => p.name) }, {
      plans: ['Free'], total: 2, page: 1, per_page: 1, has_next: true, has_prev: false,
    });
    const second = await rest('GET', '/v1/plans?skip=1&limit=1', undefined, reader);
    assert.deepEqual([second.body.plans[0].name, second.body.page, second.body.has_prev], ['Team', 2, true]);
    const all = await rest('GET', '/v1/plans?include_inactive=true', undefined, reader);
    assert.deepEqual(all.body.plans.map((p: { name: string }) => p.name), ['Free', 'Legacy', 'Team']);
    assert.equal((await rest('GET', '/v1/plans?limit=1001', undefined, reader)).status, 422);
  });

  it('only a secret key writes plans; amounts take two decimals; the default free plan cannot be archived', async () => {
    const denied = await gql(`mutation { createPlan(input: { name: "X", priceMonthly: 1, priceYearly: 10 }) { id } }`, {}, asUser(tenant, user));
    assert.equal(denied.body.errors[0].extensions.code, 'INSUFFICIENT_SCOPE');
    const invalid = await gql(`mutation { createPlan(input: { name: "X", priceMonthly: 1.999, priceYearly: 10 }) { id } }`, {}, { bearer: tenant.secret_key });
    assert.equal(invalid.body.errors[0].extensions.code, 'VALIDATION_FAILED');
    const [free] = (await rest('GET', '/v1/plans/free', undefined, asUser(tenant, user))).body;
    const archive = await gql(`mutation($id: ID!) { archivePlan(planId: $id) { id } }`, { id: free.id }, { bearer: tenant.secret_key });
    assert.equal(archive.body.errors[0].extensions.code, 'DEFAULT_PLAN');
    const renamed = await gql(`mutation($id: ID!) { updatePlan(planId: $id, input: { name: "Starter", priceMonthly: 0.5 }) { name priceMonthlyCents } }`, { id: free.id }, { bearer: tenant.secret_key });
    assert.deepEqual(renamed.body.data.updatePlan, { name: 'Starter', priceMonthlyCents: 50 });
  });

  it("another tenant's plan is not found; available-plans refuses a public key", async () => {
    const other = await createTenant();
    const foreign = await createPlan(other, { name: 'Foreign', priceMonthly: 1 });
    assert.equal((await rest('GET', `/v1/plans/${foreign.id}`, undefined, asUser(tenant, user))).status, 404);
    assert.equal((await rest('GET', `/v1/subscriptions/plans/${foreign.id}`, undefined, asUser(tenant, user))).status, 404);
    const update = await gql(`mutation($id: ID!) { updatePlan(planId: $id, input: { name: "Mine" }) { id } }`, { id: foreign.id }, { bearer: tenant.secret_key });
    assert.equal(update.body.errors[0].extensions.code, 'NOT_FOUND');
    assert.equal((await rest('GET', '/v1/billing/available-plans', undefined, asUser(tenant, user))).status, 403);
    assert.equal((await rest('GET', '/v1/billing/available-plans', undefined, { apiKey: tenant.public_key })).status, 403);
  });
});
