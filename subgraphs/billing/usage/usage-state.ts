import { queryPrepared, type PreparedStatement, type SqlRunner } from '../../../src/db/sql-runner';
import { calendarMonth, limitsOfRow, liveSubscriptionSql, ownerParams, periodOfRow, planLimitsSql, type BillingPeriod, type PlanLimits } from '../subscription/billing-period';
import { NO_ID } from './meters';

/** What a usage check needs: the current period, the plan's limits and the period's counters by meter. */
export interface UsageState {
  period: BillingPeriod;
  limits: PlanLimits;
  counters: Record<string, number>;
}

/** An organization's period, limits and counters from the stored period's start on: $4 NO_ID, $5 the calendar month's start. */
const ORGANIZATION_USAGE_STATE: PreparedStatement = {
  name: 'billing-organization-usage-state',
  text: `SELECT s.current_period_start, s.current_period_end, s.billing_interval,
                l.plan_found, l.max_messages_per_month, l.max_tokens_per_month, l.max_cost_micro_usd_per_month,
                c.period_start AS counter_period_start, c.meter, c.value::float8 AS counter_value
           FROM (SELECT 1) AS one
           LEFT JOIN LATERAL (${liveSubscriptionSql('organization')}) s ON true
           LEFT JOIN LATERAL (${planLimitsSql('organization')}) l ON true
           LEFT JOIN billing.usage_counters c
             ON c.tenant_id = $1 AND c.organization_id = $2 AND c.user_id = $4
            AND c.period_start >= COALESCE(s.current_period_start, $5)`,
};

/**
 * An organization's `currentPeriod`, `planLimitsOf` and `countersOf` in one prepared statement:
 * agents' usage gate asks for it before every model call. The rollover of a passed period stays
 * in `periodOfRow`, so counters are read from the stored period's start on and those of the
 * period it rolls to are kept.
 */
export async function organizationUsageState(runner: SqlRunner, tenantId: string, organizationId: string, now: Date = new Date()): Promise<UsageState> {
  const rows = await queryPrepared(runner, ORGANIZATION_USAGE_STATE, [...ownerParams(tenantId, { organizationId }), NO_ID, calendarMonth(now).start]);
  const period = periodOfRow(rows[0], now);
  const inPeriod = rows.filter((row) => row.meter && new Date(row.counter_period_start).getTime() === period.start.getTime());
  return { period, limits: limitsOfRow(rows[0]), counters: Object.fromEntries(inPeriod.map((row) => [row.meter, Number(row.counter_value)])) };
}
