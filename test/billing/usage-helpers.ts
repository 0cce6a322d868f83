import { randomUUID } from 'node:crypto';
import { sql } from '../tenancy/organization-helpers';
import type { TestTenant } from '../helpers/tenants';

export interface PlanLimitsFixture {
  maxMessages?: number | null;
  maxTokens?: number | null;
  maxCostMicroUsd?: number | null;
}

/**
 * Puts an organization on a plan with these limits (an active monthly subscription around now),
 * written as the plans/subscriptions rows billing reads its limits from.
 */
export async function subscribeOrganization(tenant: TestTenant, organizationId: string, limits: PlanLimitsFixture): Promise<{ planId: string; periodStart: Date; periodEnd: Date }> {
  const planId = randomUUID();
  await sql(
    `INSERT INTO billing.plans (id, tenant_id, name, price_monthly_minor, price_yearly_minor, currency, max_messages_per_month, max_tokens_per_month, max_cost_micro_usd_per_month)
     VALUES ($1, $2, 'Usage Test Plan', 2999, 29990, 'usd', $3, $4, $5)`,
    [planId, tenant.tenant_id, limits.maxMessages ?? null, limits.maxTokens ?? null, limits.maxCostMicroUsd ?? null],
  );
  const periodStart = new Date(Date.now() - 24 * 3600_000);
  const periodEnd = new Date(periodStart.getTime() + 30 * 24 * 3600_000);
  await sql(
    `INSERT INTO billing.subscriptions (tenant_id, organization_id, plan_id, billing_interval, status, current_period_start, current_period_end, provider)
     VALUES ($1, $2, $3, 'month', 'active', $4, $5, 'local')`,
    [tenant.tenant_id, organizationId, planId, periodStart, periodEnd],
  );
  return { planId, periodStart, periodEnd };
}
