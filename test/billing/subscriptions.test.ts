import assert from 'node:assert/strict';
import { Client } from 'pg';
import { gqlData, rest, uniqueEmail } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { addMember, asUser, createOrganization, outbox, sql } from '../tenancy/organization-helpers';
import { addMonths, currentPeriod, planLimitsOf } from '../../subgraphs/billing/subscription/billing-period';
import { NO_ID } from '../../subgraphs/billing/usage/meters';
import { countersOf } from '../../subgraphs/billing/usage/usage-counters';
import { organizationUsageState } from '../../subgraphs/billing/usage/usage-state';
import { createPlan, endCurrentPeriodNow, invoicesOf, secretOf } from './billing-helpers';

describe('subscriptions of organizations and users', function () {
  this.timeout(180_000);
  let tenant: TestTenant;
  let owner: TestUser;
  let basic: { id: string };
  let pro: { id: string };

  before(async () => {
    tenant = await createTenant();
    owner = await registerUser(tenant, uniqueEmail('billing-owner'));
    basic = await createPlan(tenant, { name: 'Basic', priceMonthly: 10, priceYearly: 100, maxMessagesPerMonth: 500 });
    pro = await createPlan(tenant, { name: 'Pro', priceMonthly: 30, priceYearly: 300, maxMessagesPerMonth: 5000, maxCostUsdPerMonth: 12.5 });
  });

  async function subscribedOrganization(planId = basic.id) {
    const organization = await createOrganization(tenant, owner);
    const subscribed = await rest('POST', `/v1/organizations/${organization.id}/subscription/${planId}`, undefined, asUser(tenant, owner));
    assert.equal(subscribed.status, 200, JSON.stringify(subscribed.body));
    return { organization, subscription: subscribed.body };
  }

  it('an owner subscribes the organization: active for a month, its first period invoiced and paid', async () => {
    const { organization, subscription } = await subscribedOrganization();
    assert.equal(subscription.status, 'active');
    assert.equal(subscription.organization_id, organization.id);
    assert.equal(subscription.billing_cycle, 'monthly');
    const start = new Date(subscription.current_period_start);
    const end = new Date(subscription.current_period_end);
    assert.equal(end.getUTCMonth(), (start.getUTCMonth() + 1) % 12);

    const got = await rest('GET', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, owner));
    assert.equal(got.body.id, subscription.id);
    assert.equal(got.body.plan.name, 'Basic');
    assert.equal(got.body.plan.price_monthly, 10);
    assert.deepEqual(await invoicesOf(subscription.id), [{ kind: 'period', amount_minor: '1000', status: 'paid', plan_id: basic.id }]);

    const again = await rest('POST', `/v1/organizations/${organization.id}/subscription/${pro.id}`, undefined, asUser(tenant, owner));
    assert.equal(again.status, 409);
    const types = (await outbox(tenant.tenant_id)).map((e) => e.type);
    for (const type of ['subscription.created', 'invoice.created', 'invoice.paid']) assert.ok(types.includes(type), type);
  });

  it('roles decide: a developer reads, cannot manage; a non-member and another tenant get 404', async () => {
    const { organization } = await subscribedOrganization();
    const developer = await registerUser(tenant);
    await addMember(tenant, organization.id, owner, developer, 'developer');
    assert.equal((await rest('GET', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, developer))).status, 200);
    assert.equal((await rest('DELETE', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, developer))).status, 403);
    const stranger = await registerUser(tenant);
    assert.equal((await rest('GET', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, stranger))).status, 404);
    const other = await createTenant();
    const outsider = await registerUser(other);
    assert.equal((await rest('GET', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(other, outsider))).status, 404);
    const foreignKey = await rest('GET', `/v1/billing/billing-history-org/${organization.id}`, undefined, secretOf(other));
    assert.equal(foreignKey.status, 404);
  });

  it('cancel at period end keeps access until the period passes; resume undoes it; then the rollover cancels', async () => {
    const { organization, subscription } = await subscribedOrganization();
    const cancelled = await rest('DELETE', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, owner));
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.subscription.cancel_at_period_end, true);
    assert.equal(cancelled.body.subscription.status, 'active');
    assert.match(cancelled.body.message, /end of the current period/);

    const resumed = await rest('POST', `/v1/subscriptions/organizations/${organization.id}/resume?user_id=${owner.id}`, undefined, secretOf(tenant));
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.equal(resumed.body.cancel_at_period_end, false);
    assert.equal((await rest('POST', `/v1/subscriptions/organizations/${organization.id}/resume?user_id=${owner.id}`, undefined, asUser(tenant, owner))).status, 403);

    await rest('DELETE', `/v1/subscriptions/organizations/${organization.id}/subscription?user_id=${owner.id}`, undefined, secretOf(tenant));
    await endCurrentPeriodNow(subscription.id);
    const after = await rest('GET', `/v1/organizations/${organization.id}/subscription`, undefined, asUser(tenant, owner));
    // no live subscription once the period passed (001: "Returns null if no active subscription")
    assert.deepEqual([after.status, after.body], [200, null]);
    const byId = await rest('GET', `/v1/subscriptions/subscriptions/${subscription.id}`, undefined, asUser(tenant, owner));
    assert.equal(byId.body.status, 'cancelled');
    assert.equal(byId.body.canceled_at, byId.body.current_period_end);
    assert.equal((await invoicesOf(subscription.id)).length, 1, 'a cancelled subscription is not renewed');
    const again = await rest('POST', `/v1/organizations/${organization.id}/subscription/${pro.id}`, undefined, asUser(tenant, owner));
    assert.equal(again.status, 200, 'the lapsed subscription no longer blocks a new one');
  });

  it('periods roll over with a paid invoice each; a downgrade waits for the period end, an upgrade applies now (prorated)', async () => {
    const { subscription } = await subscribedOrganization(pro.id);
    const downgrade = await rest('POST', '/v1/billing/change-plan', { subscription_id: subscription.id, new_plan_id: basic.id }, secretOf(tenant));
    assert.equal(downgrade.status, 200, JSON.stringify(downgrade.body));
    assert.equal(downgrade.body.effective, 'period_end');
    assert.equal(downgrade.body.plan_name, 'Basic');
    const pending = (await rest('GET', `/v1/subscriptions/subscriptions/${subscription.id}`, undefined, asUser(tenant, owner))).body;
    assert.deepEqual([pending.plan_id, pending.pending_plan_id], [pro.id, basic.id]);

    await endCurrentPeriodNow(subscription.id);
    const renewed = (await rest('GET', `/v1/subscriptions/subscriptions/${subscription.id}`, undefined, asUser(tenant, owner))).body;
    assert.deepEqual([renewed.plan_id, renewed.pending_plan_id, renewed.status], [basic.id, null, 'active']);
    assert.ok(new Date(renewed.current_period_end).getTime() > Date.now());
    assert.equal(new Date(renewed.current_period_start).getTime() < Date.now(), true);
    assert.deepEqual((await invoicesOf(subscription.id)).map((i) => [i.kind, i.amount_minor, i.plan_id]), [
      ['period', '3000', pro.id],
      ['period', '1000', basic.id],
    ]);
    assert.ok((await outbox(tenant.tenant_id)).some((e) => e.type === 'subscription.renewed' && e.payload.subscriptionId === subscription.id));

    const upgrade = await rest('POST', '/v1/billing/change-plan', { subscription_id: subscription.id, new_plan_id: pro.id }, secretOf(tenant));
    assert.equal(upgrade.body.effective, 'now');
    assert.equal(upgrade.body.status, 'active');
    const proration = (await invoicesOf(subscription.id))[2];
    assert.equal(proration.kind, 'proration');
    assert.ok(Number(proration.amount_minor) > 1900 && Number(proration.amount_minor) <= 2000, proration.amount_minor);
  });

  it('billing periods and limits for metering: the subscription period, else the calendar month and the free plan', async () => {
    const { organization, subscription } = await subscribedOrganization(pro.id);
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      const period = await currentPeriod(db, tenant.tenant_id, { organizationId: organization.id });
      assert.equal(period.start.toISOString(), subscription.current_period_start);
      assert.deepEqual(await planLimitsOf(db, tenant.tenant_id, { organizationId: organization.id }), {
        maxMessagesPerMonth: 5000, maxTokensPerMonth: null, maxCostMicroUsdPerMonth: 12_500_000,
      });
      const later = new Date(new Date(subscription.current_period_end).getTime() + 1000);
      assert.equal((await currentPeriod(db, tenant.tenant_id, { organizationId: organization.id }, later)).start.toISOString(), subscription.current_period_end);
      const none = await currentPeriod(db, tenant.tenant_id, { userId: owner.id }, new Date('2026-03-15T10:00:00Z'));
      assert.deepEqual([none.start.toISOString(), none.end.toISOString()], ['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
      assert.equal((await planLimitsOf(db, tenant.tenant_id, { userId: owner.id })).maxMessagesPerMonth, 100);
    } finally {
      await db.end();
    }
  });

  it("a usage check's one statement reads the same period, limits and counters as the separate reads, across a rollover", async () => {
    const { organization, subscription } = await subscribedOrganization(pro.id);
    const unsubscribed = await createOrganization(tenant, owner);
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    const counter = (organizationId: string, userId: string, meter: string, start: Date, value: number) =>
      db.query(
        `INSERT INTO billing.usage_counters (tenant_id, organization_id, user_id, meter, period_start, period_end, value) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [tenant.tenant_id, organizationId, userId, meter, start, addMonths(start, 1), value],
      );
    try {
      const [start, end] = [new Date(subscription.current_period_start), new Date(subscription.current_period_end)];
      await counter(organization.id, NO_ID, 'messages', start, 7);
      await counter(organization.id, NO_ID, 'tokens', start, 900);
      await counter(organization.id, owner.id, 'messages', start, 5); // the user's share: not the organization's total
      await counter(organization.id, NO_ID, 'messages', end, 2); // the period the subscription rolls over to
      const month = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
      await counter(unsubscribed.id, NO_ID, 'tokens', month, 40);
      const later = new Date(end.getTime() + 1000);
      const cases = [
        { organizationId: organization.id, now: new Date(), counters: { messages: 7, tokens: 900 } },
        { organizationId: organization.id, now: later, counters: { messages: 2 } },
        { organizationId: unsubscribed.id, now: new Date(), counters: { tokens: 40 } },
      ];
      for (const { organizationId, now, counters } of cases) {
        const owner = { organizationId };
        const period = await currentPeriod(db, tenant.tenant_id, owner, now);
        const separate = { period, limits: await planLimitsOf(db, tenant.tenant_id, owner), counters: await countersOf(db, tenant.tenant_id, owner, period) };
        assert.deepEqual(separate.counters, counters);
        assert.deepEqual(await organizationUsageState(db, tenant.tenant_id, organizationId, now), separate);
      }
    } finally {
      await db.end();
    }
  });

  it('a refused write leaves nothing behind: an archived plan takes no subscription', async () => {
    const legacy = await createPlan(tenant, { name: 'Legacy', priceMonthly: 1 });
    await gqlData('mutation($id: ID!) { archivePlan(planId: $id) { id } }', { id: legacy.id }, { bearer: tenant.secret_key });
    const organization = await createOrganization(tenant, owner);
    const refused = await rest('POST', `/v1/organizations/${organization.id}/subscription/${legacy.id}`, undefined, asUser(tenant, owner));
    assert.equal(refused.status, 409);
    assert.deepEqual(await sql(`SELECT id FROM billing.subscriptions WHERE organization_id = $1`, [organization.id]), []);
    assert.deepEqual(await sql(`SELECT id FROM billing.invoices WHERE organization_id = $1`, [organization.id]), []);
  });

  it("users: assign a plan to yourself only; /current; another user's subscription → 404 to read, 403 to cancel", async () => {
    const user = await registerUser(tenant);
    assert.equal((await rest('GET', '/v1/subscriptions/current', undefined, asUser(tenant, user))).status, 404);
    const assigned = await rest('PUT', `/v1/subscriptions/users/${user.id}/plan/${basic.id}`, undefined, asUser(tenant, user));
    assert.deepEqual(assigned.body, { success: true, user_id: user.id, plan_id: basic.id });
    assert.equal((await rest('PUT', `/v1/subscriptions/users/${owner.id}/plan/${basic.id}`, undefined, asUser(tenant, user))).status, 403);
    const current = await rest('GET', '/v1/subscriptions/current', undefined, asUser(tenant, user));
    assert.equal(current.status, 200);
    assert.deepEqual([current.body.plan_id, current.body.organization_id, current.body.status], [basic.id, null, 'active']);

    const other = await registerUser(tenant);
    assert.equal((await rest('GET', `/v1/subscriptions/subscriptions/${current.body.id}`, undefined, asUser(tenant, other))).status, 404);
    assert.equal((await rest('DELETE', `/v1/subscriptions/subscriptions/${current.body.id}`, undefined, asUser(tenant, other))).status, 403);
    const now = await rest('DELETE', `/v1/subscriptions/subscriptions/${current.body.id}?cancel_at_period_end=false`, undefined, asUser(tenant, user));
    assert.equal(now.status, 200);
    assert.equal(now.body.status, 'cancelled');
    assert.equal((await rest('GET', '/v1/subscriptions/current', undefined, asUser(tenant, user))).status, 404);
  });

  it('create and update through /v1/subscriptions/subscriptions; invoices and billing history for the server', async () => {
    const organization = await createOrganization(tenant, owner);
    const created = await rest('POST', '/v1/subscriptions/subscriptions', { organization_id: organization.id, plan_id: basic.id, billing_cycle: 'yearly', subscription_metadata: { seats: 3 } }, asUser(tenant, owner));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual([created.body.billing_cycle, created.body.subscription_metadata], ['yearly', { seats: 3 }]);
    const updated = await rest('PUT', `/v1/subscriptions/subscriptions/${created.body.id}`, { subscription_metadata: { seats: 5 } }, asUser(tenant, owner));
    assert.deepEqual(updated.body.subscription_metadata, { seats: 5 });
    const invoices = await rest('GET', `/v1/subscriptions/organizations/${organization.id}/invoices?user_id=${owner.id}`, undefined, secretOf(tenant));
    assert.deepEqual(invoices.body.map((i: { amount_cents: number; status: string }) => [i.amount_cents, i.status]), [[10000, 'paid']]);
    const withoutUser = await rest('GET', `/v1/subscriptions/organizations/${organization.id}/invoices`, undefined, secretOf(tenant));
    assert.equal(withoutUser.status, 422, '001: user_id is required');
    const history = await rest('GET', `/v1/billing/billing-history-org/${organization.id}?limit=5`, undefined, secretOf(tenant));
    assert.deepEqual([history.body.success, history.body.organization_id, history.body.total_invoices], [true, organization.id, 1]);
    assert.equal((await rest('GET', `/v1/billing/billing-history-org/${organization.id}`, undefined, asUser(tenant, owner))).status, 403);
    const cancelled = await rest('POST', `/v1/billing/cancel-subscription?subscription_id=${created.body.id}&cancel_at_period_end=true`, undefined, secretOf(tenant));
    assert.deepEqual(cancelled.body.success, true);
    assert.equal(cancelled.body.cancel_at_period_end, true);
  });
});
