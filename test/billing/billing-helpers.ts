import { gqlData, rest } from '../helpers/client';
import type { TestUser } from '../helpers/tenants';
import type { TestTenant } from '../helpers/tenants';
import { asUser, sql } from '../tenancy/organization-helpers';

export const secretOf = (tenant: TestTenant) => ({ apiKey: tenant.secret_key });

/** A plan made through GraphQL with the tenant's secret key. */
export async function createPlan(tenant: TestTenant, input: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const data = await gqlData<{ createPlan: { id: string; name: string } }>(
    `mutation($input: CreatePlanInput!) { createPlan(input: $input) { id name } }`,
    { input: { priceYearly: 0, ...input } },
    { bearer: tenant.secret_key },
  );
  return data.createPlan;
}

/**
 * Lets a subscription's current period end now: both ends move back so that the period keeps its
 * length and ended a second ago (tests read the period the API reports, then make it pass here).
 */
export async function endCurrentPeriodNow(subscriptionId: string): Promise<void> {
  const rows = await sql(
    `UPDATE billing.subscriptions
        SET current_period_start = current_period_start - (current_period_end - now()) - interval '1 second',
            current_period_end = now() - interval '1 second'
      WHERE id = $1 RETURNING id`,
    [subscriptionId],
  );
  if (rows.length !== 1) throw new Error(`no subscription ${subscriptionId}`);
}

export async function invoicesOf(subscriptionId: string): Promise<Array<{ kind: string; amount_minor: string; status: string; plan_id: string }>> {
  return sql(`SELECT kind, amount_minor, status, plan_id FROM billing.invoices WHERE subscription_id = $1 ORDER BY created_at, period_start`, [subscriptionId]);
}

/** `GET /v1/organizations/{id}/subscription` as a member: status and body (001: null when there is none). */
export async function orgSubscription(tenant: TestTenant, user: TestUser, organizationId: string): Promise<[number, unknown]> {
  const answer = await rest('GET', `/v1/organizations/${organizationId}/subscription`, undefined, asUser(tenant, user));
  return [answer.status, answer.body];
}
