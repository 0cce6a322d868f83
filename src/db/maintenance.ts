import type { SqlRunner } from './sql-runner';

/** Rate-limit counters idle for a day are useless; published events are kept a week for replay. */
const PRUNE_STATEMENTS = [
  `DELETE FROM platform.rate_limits
    WHERE window_start < now() - interval '1 day' AND (blocked_until IS NULL OR blocked_until < now())`,
  `DELETE FROM platform.outbox WHERE published_at < now() - interval '7 days'`,
  // Idempotency keys are honoured for 24 hours (000_… "Idempotency").
  `DELETE FROM platform.idempotency_keys WHERE created_at < now() - interval '24 hours'`,
];

/** Deletes kernel rows nobody needs any more; returns how many went. */
export async function pruneKernelTables(db: SqlRunner): Promise<number> {
  let removed = 0;
  for (const statement of PRUNE_STATEMENTS) {
    const result = await db.query(statement);
    removed += result.rowCount ?? 0;
  }
  return removed;
}
