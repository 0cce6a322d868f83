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

/** Whose subscription: an organization's, or a user's own (outside any organization). */
export type OwnerKind = 'organization' | 'user';

export function ownerKind(owner: SubscriptionOwner): OwnerKind {
  if (owner.organizationId) return 'organization';
  if (owner.userId) return 'user';
  throw new Error('a subscription owner needs an organizationId or a userId');
}

/**
 * The SQL below reads an owner with three parameters: $1 the tenant, $2 the owner's id and $3
 * the live statuses (ownerParams); `ownerSql` names the owner's rows with $2.
 */
function ownerSql(kind: OwnerKind): string {
  return kind === 'organization' ? 'organization_id = $2' : 'user_id = $2 AND organization_id IS NULL';
}

export function ownerParams(tenantId: string, owner: SubscriptionOwner): [string, string, string[]] {
  return [tenantId, (owner.organizationId || owner.userId)!, [...LIVE_STATUSES]];
}

/** SQL: the owner's latest live subscription's stored period (`current_period_start`, `_end`, `billing_interval`). */
export function liveSubscriptionSql(kind: OwnerKind): string {
  return `SELECT current_period_start, current_period_end, billing_interval FROM billing.subscriptions
           WHERE tenant_id = $1 AND ${ownerSql(kind)} AND status = ANY($3)
           ORDER BY created_at DESC LIMIT 1`;
}

/** SQL: the limits of the plan that applies to the owner (`plan_found` and the three `max_…` columns). */
export function planLimitsSql(kind: OwnerKind): string {
  return `SELECT true AS plan_found, p.max_messages_per_month, p.max_tokens_per_month, p.max_cost_micro_usd_per_month
            FROM billing.plans p
           WHERE p.tenant_id = $1 AND p.id = COALESCE(
             -- as the lazy rollover will leave it: a passed period applies its downgrade or cancellation
             (SELECT CASE WHEN current_period_end <= now() AND pending_plan_id IS NOT NULL THEN pending_plan_id ELSE plan_id END
                FROM billing.subscriptions
               WHERE tenant_id = $1 AND ${ownerSql(kind)} AND status = ANY($3)
                 AND NOT (cancel_at_period_end AND current_period_end <= now())
               ORDER BY created_at DESC LIMIT 1),
             (SELECT id FROM billing.plans WHERE tenant_id = $1 AND is_default))`;
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
  const [row] = rowsOf(await runner.query(liveSubscriptionSql(ownerKind(owner)), ownerParams(tenantId, owner)));
  return periodOfRow(row, now);
}

/** The period a `liveSubscriptionSql` row (or none: null columns) stands for at `now`. */
export function periodOfRow(
  row: { current_period_start?: Date | string | null; current_period_end?: Date | string | null; billing_interval?: string | null } | undefined,
  now: Date,
): BillingPeriod {
  if (!row?.current_period_start || !row.current_period_end) return calendarMonth(now);
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
  const [row] = rowsOf(await runner.query(planLimitsSql(ownerKind(owner)), ownerParams(tenantId, owner)));
  return limitsOfRow(row);
}

/** The limits a `planLimitsSql` row (or none: `plan_found` null) stands for. */
export function limitsOfRow(row: Record<string, unknown> | undefined): PlanLimits {
  if (!row?.plan_found) {
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
