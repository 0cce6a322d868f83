import assert from 'node:assert/strict';
import { PASSWORD, rest, uniqueEmail } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { asUser, createOrganization, outbox, sql } from '../tenancy/organization-helpers';
import { createPlan, orgSubscription, invoicesOf, secretOf } from './billing-helpers';

// The client exactly as the seed document ships it (the contract of the legacy frontends).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ApiClient } = require('../fixtures/seed-api-client');

describe('checkout with the local payment provider', function () {
  this.timeout(180_000);
  let tenant: TestTenant;
  let owner: TestUser;
  let pro: { id: string };

  before(async () => {
    tenant = await createTenant();
    owner = await registerUser(tenant, uniqueEmail('checkout'));
    pro = await createPlan(tenant, { name: 'Pro', priceMonthly: 29.99, priceYearly: 299.99 });
  });

  const urls = { success_url: 'https://app.example.com/billing/success', cancel_url: 'https://app.example.com/billing/cancel' };

  it('a server checkout answers checkout_url and session_id; confirming on the local page subscribes the organization once', async () => {
    const organization = await createOrganization(tenant, owner);
    const started = await rest('POST', '/v1/billing/create-checkout-session', { user_id: owner.id, organization_id: organization.id, plan_id: pro.id, ...urls }, secretOf(tenant));
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.deepEqual([started.body.plan_name, started.body.price, started.body.message], ['Pro', '$29.99/month', null]);
    const checkoutUrl = new URL(started.body.checkout_url);
    assert.equal(checkoutUrl.pathname, `/v1/billing/checkout/${started.body.session_id}`);

    const page = await rest('GET', checkoutUrl.pathname, undefined, { apiKey: tenant.public_key });
    assert.deepEqual([page.status, page.body.status, page.body.plan_id, page.body.success_url], [200, 'open', pro.id, urls.success_url]);
    assert.deepEqual(await orgSubscription(tenant, owner, organization.id), [200, null], 'nothing before confirmation (001: null)');

    const confirmed = await rest('POST', `${checkoutUrl.pathname}/confirm`, undefined, { apiKey: tenant.public_key });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.deepEqual([confirmed.body.status, confirmed.body.success_url], ['completed', urls.success_url]);
    const subscription = (await rest('GET', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, owner))).body;
    assert.deepEqual([subscription.id, subscription.plan_id, subscription.status], [confirmed.body.subscription_id, pro.id, 'active']);
    assert.deepEqual((await invoicesOf(subscription.id)).map((i) => [i.amount_minor, i.status]), [['2999', 'paid']]);
    assert.equal((await rest('POST', `${checkoutUrl.pathname}/confirm`, undefined, { apiKey: tenant.public_key })).status, 409, 'a session confirms once');
  });

  it('validates input, refuses public keys and sessions of other tenants', async () => {
    const organization = await createOrganization(tenant, owner);
    const body = { user_id: owner.id, organization_id: organization.id, plan_id: pro.id, ...urls };
    assert.equal((await rest('POST', '/v1/billing/create-checkout-session', body, asUser(tenant, owner))).status, 403);
    const invalid = await rest('POST', '/v1/billing/create-checkout-session', { ...body, success_url: 'not a url' }, secretOf(tenant));
    assert.equal(invalid.status, 422);
    const other = await createTenant();
    assert.equal((await rest('POST', '/v1/billing/create-checkout-session', body, secretOf(other))).status, 404, "another tenant's plan");
    const started = await rest('POST', '/v1/billing/create-checkout-session', body, secretOf(tenant));
    assert.equal((await rest('POST', `/v1/billing/checkout/${started.body.session_id}/confirm`, undefined, { apiKey: other.public_key })).status, 404);
    await sql(`UPDATE billing.checkout_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [started.body.session_id]);
    assert.equal((await rest('POST', `/v1/billing/checkout/${started.body.session_id}/confirm`, undefined, { apiKey: tenant.public_key })).status, 409, 'expired');
    assert.equal((await sql(`SELECT count(*)::int AS n FROM billing.subscriptions WHERE organization_id = $1`, [organization.id]))[0].n, 0);
  });

  it('an end user checks out for themself; an organization needs BILLING_MANAGE there', async () => {
    const user = await registerUser(tenant);
    const mine = await rest('POST', '/v1/subscriptions/checkout', { plan_id: pro.id, ...urls }, asUser(tenant, user));
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    await rest('POST', `/v1/billing/checkout/${mine.body.session_id}/confirm`, undefined, { apiKey: tenant.public_key });
    const current = await rest('GET', '/v1/subscriptions/current', undefined, asUser(tenant, user));
    assert.deepEqual([current.body.plan_id, current.body.status], [pro.id, 'active']);
    const organization = await createOrganization(tenant, owner);
    const denied = await rest('POST', '/v1/subscriptions/checkout', { plan_id: pro.id, organization_id: organization.id, ...urls }, asUser(tenant, user));
    assert.equal(denied.status, 404, 'not a member');
  });

  it("the seed ApiClient's plans, subscriptions and billing methods work unchanged", async () => {
    const email = uniqueEmail('seed-billing');
    await registerUser(tenant, email);
    const api = new ApiClient(tenant.public_key, testPlatform().routerUrl);
    await api.auth.login(email, PASSWORD);
    const server = new ApiClient(tenant.secret_key, testPlatform().routerUrl);

    assert.ok((await api.plans.list(0, 10, false)).plans.some((p: { id: string }) => p.id === pro.id));
    assert.equal((await api.plans.getById(pro.id)).price_monthly, 29.99);
    assert.equal((await api.plans.getFree()).length, 1);
    assert.ok((await api.plans.getActive()).length >= 2);
    assert.ok((await api.subscriptions.getPlans()).some((p: { id: string }) => p.id === pro.id));

    const org = await api.organizations.create('Seed Billing', `seed-billing-${Date.now()}`);
    const subscription = await api.organizations.subscribe(org.id, pro.id);
    assert.equal(subscription.status, 'active');
    assert.equal((await api.organizations.getSubscription(org.id)).plan.name, 'Pro');
    assert.equal((await api.subscriptions.getById(subscription.id)).id, subscription.id);

    const available = await server.billing.getAvailablePlans();
    assert.equal(available.success, true);
    const session = await server.billing.createCheckoutSession({ user_id: (await api.auth.me()).id, organization_id: org.id, plan_id: pro.id, ...urls });
    assert.ok(session.checkout_url && session.session_id);
    assert.ok((await api.subscriptions.checkout(pro.id, urls.success_url, urls.cancel_url)).checkout_url);
    assert.equal((await server.billing.getBillingHistory(org.id, 5)).total_invoices, 1);
    const cancelled = await server.billing.cancelSubscription(subscription.id, true);
    assert.equal(cancelled.cancel_at_period_end, true);
    assert.match((await api.organizations.cancelSubscription(org.id)).message, /cancelled at the end of the current period/);
    assert.equal((await api.subscriptions.cancel(subscription.id, false)).status, 'cancelled');
    assert.ok((await outbox(tenant.tenant_id)).some((e) => e.type === 'subscription.cancelled'));
  });
});
