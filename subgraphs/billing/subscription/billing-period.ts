import { rowsOf, type SqlRunner } from '../../../src/db/sql-runner';
import { DEFAULT_FREE_PLAN } from '../plan/default-plan';

/** Who a subscription belongs to: an organization or a single user. */
export interface SubscriptionOwner {
  organizationId?: string;
  userId?: string;
}

export interface BillingPeriod {
  start: Date;
  end: Date;
}

export interface PlanLimits {
  maxMessagesPerMonth: number | null;
  maxTokensPerMonth: number | null;
  maxCostMicroUsdPerMonth: number | null;
}

/** Statuses whose subscription still entitles its owner to its plan. */
export const LIVE_STATUSES = ['active', 'trialing', 'past_due'] as const;

/** The calendar month (UTC) containing `now`. */
export function calendarMonth(now: Date): BillingPeriod {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

function ownerCondition(owner: SubscriptionOwner, firstParam: number): { sql: string; params: string[] } {
  if (owner.organizationId) return { sql: `organization_id = $${firstParam}`, params: [owner.organizationId] };
  if (owner.userId) return { sql: `user_id = $${firstParam} AND organization_id IS NULL`, params: [owner.userId] };
  throw new Error('a subscription owner needs an organizationId or a userId');
}

/**
 * The owner's live subscription's current period, stepped forward whole periods when `now`
 * is past its stored end (the stored row rolls over lazily on the next read of the subscription);
 * a calendar month in UTC when the owner has none.
 */
export async function currentPeriod(
  runner: SqlRunner,
  tenantId: string,
  owner: SubscriptionOwner,
  now: Date = new Date(),
): Promise<BillingPeriod> {
  const condition = ownerCondition(owner, 2);
  const [row] = rowsOf(
    await runner.query(
      `SELECT current_period_start, current_period_end, billing_interval FROM billing.subscriptions
        WHERE tenant_id = $1 AND ${condition.sql} AND status = ANY($${2 + condition.params.length})
        ORDER BY created_at DESC LIMIT 1`,
      [tenantId, ...condition.params, [...LIVE_STATUSES]],
    ),
  );
  if (!row) return calendarMonth(now);
  return periodContaining(
    { start: new Date(row.current_period_start), end: new Date(row.current_period_end) },
    row.billing_interval === 'year' ? 12 : 1,
    now,
  );
}

/** Adds whole months in UTC, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  target.setUTCHours(date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  return target;
}

/** Steps a period forward by `months` until it contains `now` (never backwards). */
export function periodContaining(period: BillingPeriod, months: number, now: Date): BillingPeriod {
  let { start, end } = period;
  while (end.getTime() <= now.getTime()) {
    start = end;
    end = addMonths(end, months);
  }
  return { start, end };
}

/** The owner's subscribed plan's limits, else the tenant's default free plan's (as it will be created, before it is). */
export async function planLimitsOf(runner: SqlRunner, tenantId: string, owner: SubscriptionOwner): Promise<PlanLimits> {
  const condition = ownerCondition(owner, 2);
  const [row] = rowsOf(
    await runner.query(
      `SELECT p.max_messages_per_month, p.max_tokens_per_month, p.max_cost_micro_usd_per_month
         FROM billing.plans p
        WHERE p.tenant_id = $1 AND p.id = COALESCE(
          -- as the lazy rollover will leave it: a passed period applies its downgrade or cancellation
          (SELECT CASE WHEN current_period_end <= now() AND pending_plan_id IS NOT NULL THEN pending_plan_id ELSE plan_id END
             FROM billing.subscriptions
            WHERE tenant_id = $1 AND ${condition.sql} AND status = ANY($${2 + condition.params.length})
              AND NOT (cancel_at_period_end AND current_period_end <= now())
            ORDER BY created_at DESC LIMIT 1),
          (SELECT id FROM billing.plans WHERE tenant_id = $1 AND is_default))`,
      [tenantId, ...condition.params, [...LIVE_STATUSES]],
    ),
  );
  if (!row) {
    const { maxMessagesPerMonth, maxTokensPerMonth, maxCostMicroUsdPerMonth } = DEFAULT_FREE_PLAN;
    return { maxMessagesPerMonth, maxTokensPerMonth, maxCostMicroUsdPerMonth };
  }
  const asNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    maxMessagesPerMonth: asNumber(row.max_messages_per_month),
    maxTokensPerMonth: asNumber(row.max_tokens_per_month),
    maxCostMicroUsdPerMonth: asNumber(row.max_cost_micro_usd_per_month),
  };
}
