import assert from 'node:assert/strict';
import { gql, gqlData, rest, uniqueEmail } from '../helpers/client';
import { sharedFakeStripe, type FakeStripe } from '../helpers/fake-stripe';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { asUser, createOrganization, outbox, sql } from '../tenancy/organization-helpers';
import { createPlan, orgSubscription, secretOf } from './billing-helpers';

/** Delivers a webhook to the router as Stripe does: the exact bytes and their signature header. */
async function deliver(delivery: { payload: string; signature?: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (delivery.signature !== undefined) headers['stripe-signature'] = delivery.signature;
  const response = await fetch(`${testPlatform().routerUrl}/v1/billing/webhook`, { method: 'POST', headers, body: delivery.payload });
  return { status: response.status, body: await response.json() };
}

async function useStripe(tenant: TestTenant): Promise<void> {
  const data = await gqlData('mutation { setPaymentProvider(provider: stripe) { provider stripeConfigured } }', {}, { bearer: tenant.secret_key });
  assert.deepEqual(data.setPaymentProvider, { provider: 'stripe', stripeConfigured: true });
}

/** Everything a webhook may change for a tenant, to compare before and after a refused or replayed event. */
async function billingState(tenantId: string) {
  const [subscriptions, invoices, events] = await Promise.all([
    sql(`SELECT id, plan_id, status, cancel_at_period_end, current_period_end, provider_subscription_id FROM billing.subscriptions WHERE tenant_id = $1 ORDER BY id`, [tenantId]),
    sql(`SELECT id, status, amount_minor, provider_invoice_id FROM billing.invoices WHERE tenant_id = $1 ORDER BY id`, [tenantId]),
    outbox(tenantId),
  ]);
  return { subscriptions, invoices, events: events.length };
}

describe('Stripe payment provider (fake Stripe on loopback)', function () {
  this.timeout(180_000);
  const urls = { success_url: 'https://app.example.com/billing/success', cancel_url: 'https://app.example.com/billing/cancel' };
  let stripe: FakeStripe;
  let tenant: TestTenant;
  let owner: TestUser;
  let pro: { id: string };

  before(async () => {
    stripe = sharedFakeStripe();
    tenant = await createTenant();
    owner = await registerUser(tenant, uniqueEmail('stripe'));
    pro = await createPlan(tenant, { name: 'Pro', priceMonthly: 29.99, priceYearly: 299.99, currency: 'usd' });
    await useStripe(tenant);
  });

  /** A checkout on the tenant's Stripe, and the event Stripe sends when the customer pays. */
  async function paidCheckout(organizationId: string) {
    const started = await rest('POST', '/v1/billing/create-checkout-session', { user_id: owner.id, organization_id: organizationId, plan_id: pro.id, ...urls }, secretOf(tenant));
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const session = stripe.sessions.find((s) => s.id === started.body.session_id)!;
    const ids = { subscription: `sub_${organizationId.slice(0, 8)}`, customer: `cus_${organizationId.slice(0, 8)}`, invoice: `in_${organizationId.slice(0, 8)}` };
    const completed = stripe.event('checkout.session.completed', {
      id: session.id, object: 'checkout.session', client_reference_id: session.clientReferenceId, metadata: session.metadata,
      customer: ids.customer, subscription: ids.subscription, invoice: ids.invoice, payment_status: 'paid', amount_total: 2999, currency: 'usd', status: 'complete',
    });
    return { started: started.body, session, completed, ids };
  }

  it("a checkout answers Stripe's checkout_url and session_id, priced from the plan and tagged with the tenant", async () => {
    const organization = await createOrganization(tenant, owner);
    const { started, session } = await paidCheckout(organization.id);
    assert.equal(started.checkout_url, session.url);
    assert.match(started.session_id, /^cs_test_/);
    assert.deepEqual([started.plan_name, started.price], ['Pro', '$29.99/month']);
    assert.equal(session.params.mode, 'subscription');
    assert.deepEqual(
      [session.params['line_items[0][price_data][unit_amount]'], session.params['line_items[0][price_data][currency]'], session.params['line_items[0][price_data][recurring][interval]']],
      ['2999', 'usd', 'month'],
    );
    assert.equal(session.metadata.tenant_id, tenant.tenant_id);
    assert.equal(session.params['subscription_data[metadata][tenant_id]'], tenant.tenant_id);
    assert.equal(session.params.success_url, urls.success_url);
    assert.ok(session.idempotencyKey, 'the client sends an idempotency key');
    const trial = await createPlan(tenant, { name: 'Trial', priceMonthly: 9, currency: 'usd', trialDays: 14 });
    const trialStarted = await rest('POST', '/v1/billing/create-checkout-session', { user_id: owner.id, organization_id: organization.id, plan_id: trial.id, ...urls }, secretOf(tenant));
    assert.equal(stripe.sessions.find((s) => s.id === trialStarted.body.session_id)!.params['subscription_data[trial_period_days]'], '14');
    // the end user's own checkout goes to Stripe too
    const mine = await rest('POST', '/v1/subscriptions/checkout', { plan_id: pro.id, ...urls }, asUser(tenant, owner));
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    assert.equal(mine.body.checkout_url, stripe.sessions.at(-1)!.url);
    // a Stripe session is confirmed by Stripe's webhook, never on the local page
    const row = (await sql(`SELECT id FROM billing.checkout_sessions WHERE provider_session_id = $1`, [started.session_id]))[0];
    assert.equal((await rest('POST', `/v1/billing/checkout/${row.id}/confirm`, undefined, { apiKey: tenant.public_key })).status, 409);
  });

  it('a signed checkout.session.completed starts the subscription once; a replay changes nothing', async () => {
    const organization = await createOrganization(tenant, owner);
    const { completed, ids } = await paidCheckout(organization.id);
    assert.deepEqual(await orgSubscription(tenant, owner, organization.id), [200, null], 'nothing before Stripe says so');

    const first = await deliver(completed);
    assert.deepEqual([first.status, first.body], [200, { received: true, duplicate: false }]);
    const subscription = (await rest('GET', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, owner))).body;
    assert.deepEqual(
      [subscription.plan_id, subscription.status, subscription.stripe_subscription_id, subscription.stripe_customer_id],
      [pro.id, 'active', ids.subscription, ids.customer],
    );
    const invoices = await sql(`SELECT amount_minor, status, provider, provider_invoice_id FROM billing.invoices WHERE subscription_id = $1`, [subscription.id]);
    assert.deepEqual(invoices, [{ amount_minor: '2999', status: 'paid', provider: 'stripe', provider_invoice_id: ids.invoice }]);

    const before = await billingState(tenant.tenant_id);
    const replay = await deliver(completed);
    assert.deepEqual([replay.status, replay.body], [200, { received: true, duplicate: true }]);
    assert.deepEqual(await billingState(tenant.tenant_id), before);
  });

  it('subscription and invoice events move status, period and cancellation, each applied once', async () => {
    const organization = await createOrganization(tenant, owner);
    const { completed, ids } = await paidCheckout(organization.id);
    await deliver(completed);
    const read = async () => (await rest('GET', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, owner))).body;

    const periodEnd = Math.floor(Date.now() / 1000) + 40 * 86_400;
    const updated = stripe.event('customer.subscription.updated', {
      id: ids.subscription, object: 'subscription', status: 'active', cancel_at_period_end: true, metadata: { tenant_id: tenant.tenant_id },
      items: { data: [{ current_period_start: periodEnd - 30 * 86_400, current_period_end: periodEnd, price: { id: 'price_unknown' } }] },
    });
    assert.equal((await deliver(updated)).status, 200);
    let subscription = await read();
    assert.deepEqual([subscription.cancel_at_period_end, new Date(subscription.current_period_end).getTime()], [true, periodEnd * 1000]);

    const subscriptionDetails = { subscription: ids.subscription, metadata: { tenant_id: tenant.tenant_id } };
    const failed = stripe.event('invoice.payment_failed', {
      id: 'in_renewal_' + ids.subscription, object: 'invoice', amount_due: 2999, amount_paid: 0, currency: 'usd', billing_reason: 'subscription_cycle',
      parent: { type: 'subscription_details', subscription_details: subscriptionDetails },
      lines: { data: [{ period: { start: periodEnd - 30 * 86_400, end: periodEnd } }] },
    });
    assert.equal((await deliver(failed)).status, 200);
    subscription = await read();
    assert.equal(subscription.status, 'past_due');
    const renewal = async () => (await sql(`SELECT status, amount_minor FROM billing.invoices WHERE provider_invoice_id = $1`, ['in_renewal_' + ids.subscription]))[0];
    assert.deepEqual(await renewal(), { status: 'open', amount_minor: '2999' });

    const paid = stripe.event('invoice.paid', {
      id: 'in_renewal_' + ids.subscription, object: 'invoice', amount_due: 2999, amount_paid: 2999, currency: 'usd', billing_reason: 'subscription_cycle',
      parent: { type: 'subscription_details', subscription_details: subscriptionDetails }, status_transitions: { paid_at: Math.floor(Date.now() / 1000) },
    });
    assert.equal((await deliver(paid)).status, 200);
    assert.equal((await read()).status, 'active');
    assert.deepEqual(await renewal(), { status: 'paid', amount_minor: '2999' });
    const history = await rest('GET', `/v1/billing/billing-history-org/${organization.id}`, undefined, secretOf(tenant));
    assert.equal(history.body.total_invoices, 2);

    const before = await billingState(tenant.tenant_id);
    for (const event of [updated, failed, paid]) assert.equal((await deliver(event)).body.duplicate, true);
    assert.deepEqual(await billingState(tenant.tenant_id), before, 'replays change nothing (a replayed failure does not make it past_due again)');

    const deleted = stripe.event('customer.subscription.deleted', { id: ids.subscription, object: 'subscription', status: 'canceled', canceled_at: Math.floor(Date.now() / 1000), metadata: { tenant_id: tenant.tenant_id } });
    assert.equal((await deliver(deleted)).status, 200);
    const cancelled = await sql(`SELECT status, cancelled_at FROM billing.subscriptions WHERE provider_subscription_id = $1`, [ids.subscription]);
    assert.equal(cancelled[0].status, 'cancelled');
    assert.ok(cancelled[0].cancelled_at);
  });

  it('a bad, missing or foreign signature, or a tampered body, is a 400 {"detail"} and changes nothing', async () => {
    const organization = await createOrganization(tenant, owner);
    const { completed } = await paidCheckout(organization.id);
    const before = await billingState(tenant.tenant_id);
    const forged = stripe.event('checkout.session.completed', JSON.parse(completed.payload).data.object, { secret: 'whsec_not_the_endpoints_secret' });
    for (const delivery of [
      { payload: completed.payload },
      { payload: completed.payload, signature: 'garbage' },
      forged,
      { payload: completed.payload.replace('"paid"', '"unpaid"'), signature: completed.signature },
    ]) {
      const answer = await deliver(delivery);
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(typeof answer.body.detail, 'string');
      assert.deepEqual(Object.keys(answer.body), ['detail']);
    }
    assert.deepEqual(await billingState(tenant.tenant_id), before);
    assert.equal((await sql(`SELECT count(*)::int AS n FROM billing.provider_events WHERE event_id = $1`, [completed.id]))[0].n, 0, 'a refused event is not recorded: the genuine one still applies');
    assert.equal((await deliver(completed)).body.duplicate, false);
  });

  it("tenants are walled off: an event applies only to the tenant its metadata names, and that tenant's own rows", async () => {
    const other = await createTenant();
    const otherOwner = await registerUser(other, uniqueEmail('stripe-other'));
    const otherOrganization = await createOrganization(other, otherOwner);
    const organization = await createOrganization(tenant, owner);
    const { session, ids } = await paidCheckout(organization.id);
    const before = await billingState(tenant.tenant_id);
    // another tenant's metadata on this tenant's session: not that tenant's session, nothing happens anywhere
    const misrouted = stripe.event('checkout.session.completed', {
      id: session.id, object: 'checkout.session', client_reference_id: session.clientReferenceId, metadata: { ...session.metadata, tenant_id: other.tenant_id },
      customer: ids.customer, subscription: ids.subscription, payment_status: 'paid', amount_total: 2999, currency: 'usd',
    });
    assert.deepEqual((await deliver(misrouted)).body, { received: true, duplicate: false });
    assert.deepEqual(await billingState(tenant.tenant_id), before);
    assert.equal((await billingState(other.tenant_id)).subscriptions.length, 0);
    assert.deepEqual(await orgSubscription(other, otherOwner, otherOrganization.id), [200, null]);
    // the other tenant stays on the local provider: its checkouts are the platform's own page
    const otherPlan = await createPlan(other, { name: 'Team', priceMonthly: 10 });
    const local = await rest('POST', '/v1/billing/create-checkout-session', { user_id: otherOwner.id, organization_id: otherOrganization.id, plan_id: otherPlan.id, ...urls }, secretOf(other));
    assert.equal(new URL(local.body.checkout_url).pathname, `/v1/billing/checkout/${local.body.session_id}`);
    // a subscription event naming the other tenant cannot touch this tenant's Stripe subscription
    await deliver(stripe.event('checkout.session.completed', JSON.parse(paidCheckoutPayload(session, ids))));
    const hijack = stripe.event('customer.subscription.deleted', { id: ids.subscription, object: 'subscription', status: 'canceled', metadata: { tenant_id: other.tenant_id } });
    await deliver(hijack);
    assert.equal((await sql(`SELECT status FROM billing.subscriptions WHERE provider_subscription_id = $1`, [ids.subscription]))[0].status, 'active');
  });

  it('validates the choice of provider and leaves no session when Stripe refuses the checkout', async () => {
    const local = await gqlData('mutation { setPaymentProvider(provider: local) { provider } }', {}, { bearer: tenant.secret_key });
    assert.equal(local.setPaymentProvider.provider, 'local');
    await useStripe(tenant);
    const denied = await gql('mutation { setPaymentProvider(provider: local) { provider } }', {}, { apiKey: tenant.public_key });
    assert.ok(denied.body.errors?.length);
    const organization = await createOrganization(tenant, owner);
    stripe.failNext(400); // a 4xx: the client does not retry it
    const refused = await gql(
      `mutation($o: ID!, $u: ID!, $p: ID!) { createCheckoutSession(organizationId: $o, userId: $u, planId: $p, successUrl: "https://a.example/s", cancelUrl: "https://a.example/c") { sessionId } }`,
      { o: organization.id, u: owner.id, p: pro.id },
      { bearer: tenant.secret_key },
    );
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'PAYMENT_PROVIDER_FAILED');
    assert.equal((await sql(`SELECT count(*)::int AS n FROM billing.checkout_sessions WHERE organization_id = $1`, [organization.id]))[0].n, 0);
  });
});

/** The genuine completion of a session, as a payload (for the isolation test's second step). */
function paidCheckoutPayload(session: { id: string; clientReferenceId?: string; metadata: Record<string, string> }, ids: { subscription: string; customer: string }): string {
  return JSON.stringify({
    id: session.id, object: 'checkout.session', client_reference_id: session.clientReferenceId, metadata: session.metadata,
    customer: ids.customer, subscription: ids.subscription, payment_status: 'paid', amount_total: 2999, currency: 'usd',
  });
}

describe('changes made through the platform reach Stripe first', function () {
  this.timeout(120_000);
  let stripe: FakeStripe;
  let tenant: TestTenant;
  let owner: TestUser;

  before(async () => {
    stripe = sharedFakeStripe();
    tenant = await createTenant();
    owner = await registerUser(tenant, uniqueEmail('stripe-sync'));
    await useStripe(tenant);
  });

  /** An organization subscribed to `plan` through a Stripe checkout; returns Stripe's subscription id. */
  async function stripeSubscribed(plan: { id: string }): Promise<{ organizationId: string; providerSubscriptionId: string; subscriptionId: string }> {
    const organization = await createOrganization(tenant, owner);
    const started = await rest('POST', '/v1/billing/create-checkout-session', { user_id: owner.id, organization_id: organization.id, plan_id: plan.id, success_url: 'https://a.example/s', cancel_url: 'https://a.example/c' }, secretOf(tenant));
    const session = stripe.sessions.find((s) => s.id === started.body.session_id)!;
    const providerSubscriptionId = `sub_sync_${organization.id.slice(0, 8)}`;
    await deliver(stripe.event('checkout.session.completed', { id: session.id, client_reference_id: session.clientReferenceId, metadata: session.metadata, customer: 'cus_sync', subscription: providerSubscriptionId, payment_status: 'paid', amount_total: 0, currency: 'usd' }));
    const [row] = await sql(`SELECT id FROM billing.subscriptions WHERE provider_subscription_id = $1`, [providerSubscriptionId]);
    return { organizationId: organization.id, providerSubscriptionId, subscriptionId: row.id };
  }
  const callsOn = (id: string) => stripe.subscriptionCalls.filter((c) => c.subscriptionId === id);

  it('cancel at period end, resume and cancel now update the Stripe subscription', async () => {
    const plan = await createPlan(tenant, { name: 'Sync', priceMonthly: 20, currency: 'usd' });
    const { organizationId, providerSubscriptionId, subscriptionId } = await stripeSubscribed(plan);
    const atEnd = await rest('DELETE', `/v1/organizations/${organizationId}/subscription`, undefined, asUser(tenant, owner));
    assert.equal(atEnd.status, 200, JSON.stringify(atEnd.body));
    assert.deepEqual(callsOn(providerSubscriptionId).map((c) => [c.method, c.params.cancel_at_period_end]), [['POST', 'true']]);
    const resumed = await rest('POST', `/v1/subscriptions/organizations/${organizationId}/resume?user_id=${owner.id}`, undefined, secretOf(tenant));
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.deepEqual(callsOn(providerSubscriptionId).at(-1)!.params.cancel_at_period_end, 'false');
    const now = await rest('POST', `/v1/billing/cancel-subscription?subscription_id=${subscriptionId}&cancel_at_period_end=false`, undefined, secretOf(tenant));
    assert.equal(now.status, 200, JSON.stringify(now.body));
    assert.equal(callsOn(providerSubscriptionId).at(-1)!.method, 'DELETE');
  });

  it('an upgrade is prorated on Stripe now; a downgrade bills from the next period; no platform invoice for either', async () => {
    const basic = await createPlan(tenant, { name: 'Basic sync', priceMonthly: 10, currency: 'usd' });
    const premium = await createPlan(tenant, { name: 'Premium sync', priceMonthly: 50, currency: 'usd' });
    const { providerSubscriptionId, subscriptionId } = await stripeSubscribed(basic);
    const up = await rest('POST', '/v1/billing/change-plan', { subscription_id: subscriptionId, new_plan_id: premium.id }, secretOf(tenant));
    assert.equal(up.status, 200, JSON.stringify(up.body));
    const upgrade = callsOn(providerSubscriptionId).at(-1)!.params;
    assert.deepEqual(
      [upgrade.proration_behavior, upgrade['items[0][id]'], upgrade['items[0][price_data][unit_amount]'], upgrade['items[0][price_data][product]'], upgrade['metadata[tenant_id]']],
      ['always_invoice', `si_${providerSubscriptionId}`, '5000', `prod_${providerSubscriptionId}`, tenant.tenant_id],
    );
    const down = await rest('POST', '/v1/billing/change-plan', { subscription_id: subscriptionId, new_plan_id: basic.id }, secretOf(tenant));
    assert.equal(down.status, 200, JSON.stringify(down.body));
    assert.equal(callsOn(providerSubscriptionId).at(-1)!.params.proration_behavior, 'none');
    assert.deepEqual(await sql(`SELECT kind FROM billing.invoices WHERE subscription_id = $1 AND provider_invoice_id IS NULL`, [subscriptionId]), [], 'Stripe invoices Stripe-run subscriptions');
  });

  it("Stripe's refusal changes nothing here", async () => {
    const plan = await createPlan(tenant, { name: 'Refused', priceMonthly: 20, currency: 'usd' });
    const { organizationId, subscriptionId } = await stripeSubscribed(plan);
    stripe.failNext(400);
    const refused = await rest('DELETE', `/v1/organizations/${organizationId}/subscription`, undefined, asUser(tenant, owner));
    assert.equal(refused.status, 502, JSON.stringify(refused.body));
    assert.equal(typeof refused.body.detail, 'string');
    const [row] = await sql(`SELECT status, cancel_at_period_end FROM billing.subscriptions WHERE id = $1`, [subscriptionId]);
    assert.deepEqual(row, { status: 'active', cancel_at_period_end: false });
  });
});
