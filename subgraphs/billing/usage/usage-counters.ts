import { rowsOf, type SqlRunner } from '../../../src/db/sql-runner';
import type { BillingPeriod } from '../subscription/billing-period';
import { NO_ID } from './meters';

/** Whose counter: an organization's total (no user), a user within an organization, or a user alone. */
export interface CounterOwner {
  organizationId?: string | null;
  userId?: string | null;
}

/**
 * Adds `amount` to one counter of the period in a single statement. With a `limit`, the row is
 * locked by the upsert and the guard is evaluated on its latest value, so concurrent additions
 * queue up and the total never passes the limit; returns null when it would have.
 */
export async function addToCounter(
  runner: SqlRunner,
  tenantId: string,
  owner: CounterOwner,
  meter: string,
  period: BillingPeriod,
  amount: number,
  limit: number | null = null,
): Promise<number | null> {
  if (limit !== null && amount > limit) return null;
  if (amount < 0) return subtractFromCounter(runner, tenantId, owner, meter, period, -amount);
  const rows = rowsOf(
    await runner.query(
      `INSERT INTO billing.usage_counters AS c (tenant_id, organization_id, user_id, meter, period_start, period_end, value)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, organization_id, user_id, meter, period_start)
       DO UPDATE SET value = c.value + EXCLUDED.value, updated_at = now()
       WHERE $8::numeric IS NULL OR c.value + EXCLUDED.value <= $8::numeric
       RETURNING value::float8 AS value`,
      [tenantId, owner.organizationId ?? NO_ID, owner.userId ?? NO_ID, meter, period.start, period.end, amount, limit],
    ),
  );
  return rows.length ? Number(rows[0].value) : null;
}

/**
 * A decrement (stored bytes freed) only ever updates an existing row: an upsert's proposed row
 * would break `value >= 0` even when it conflicts. No row, or a result below zero (a decrement
 * delivered before its increment), throws: the consumer's job is retried.
 */
async function subtractFromCounter(runner: SqlRunner, tenantId: string, owner: CounterOwner, meter: string, period: BillingPeriod, amount: number): Promise<number> {
  const rows = rowsOf(
    await runner.query(
      // As a CTE, so every runner answers rows (TypeORM answers a bare UPDATE as [rows, count]).
      `WITH changed AS (
         UPDATE billing.usage_counters SET value = value - $6, updated_at = now()
          WHERE tenant_id = $1 AND organization_id = $2 AND user_id = $3 AND meter = $4 AND period_start = $5
          RETURNING value)
       SELECT value::float8 AS value FROM changed`,
      [tenantId, owner.organizationId ?? NO_ID, owner.userId ?? NO_ID, meter, period.start, amount],
    ),
  );
  if (!rows.length) throw new Error(`no ${meter} counter to subtract ${amount} from yet`);
  return Number(rows[0].value);
}

/** The owner's counters of one period, by meter (absent meters are 0). */
export async function countersOf(runner: SqlRunner, tenantId: string, owner: CounterOwner, period: BillingPeriod): Promise<Record<string, number>> {
  const rows = rowsOf(
    await runner.query(
      `SELECT meter, value::float8 AS value FROM billing.usage_counters
        WHERE tenant_id = $1 AND organization_id = $2 AND user_id = $3 AND period_start = $4`,
      [tenantId, owner.organizationId ?? NO_ID, owner.userId ?? NO_ID, period.start],
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.meter, Number(r.value)]));
}

export interface PeriodCounters {
  periodStart: Date;
  periodEnd: Date;
  values: Record<string, number>;
  updatedAt: Date;
}

/** The owner's counters per period, newest first (usage history). */
export async function counterHistory(runner: SqlRunner, tenantId: string, owner: CounterOwner, limit: number, offset: number): Promise<PeriodCounters[]> {
  const rows = rowsOf(
    await runner.query(
      `SELECT period_start, max(period_end) AS period_end, max(updated_at) AS updated_at,
              jsonb_object_agg(meter, value::float8) AS "values"
         FROM billing.usage_counters
        WHERE tenant_id = $1 AND organization_id = $2 AND user_id = $3
        GROUP BY period_start ORDER BY period_start DESC LIMIT $4 OFFSET $5`,
      [tenantId, owner.organizationId ?? NO_ID, owner.userId ?? NO_ID, limit, offset],
    ),
  );
  return rows.map((r) => ({ periodStart: new Date(r.period_start), periodEnd: new Date(r.period_end), updatedAt: new Date(r.updated_at), values: r.values }));
}
