import { rowsOf, type SqlRunner } from './db/sql-runner';
import { DomainError } from './errors';


export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
  /** How long a caller is blocked after exceeding; without it, until the window ends. */
  blockSeconds?: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

// One atomic statement: a fixed window per key, and a block once the window's limit is exceeded.
const HIT_SQL = `
INSERT INTO platform.rate_limits AS r (key, window_start, hits, blocked_until)
VALUES ($1, clock_timestamp(), 1,
  CASE WHEN 1 > $3::int THEN COALESCE(clock_timestamp() + $4::float8 * interval '1 second', clock_timestamp() + $2::float8 * interval '1 second') END)
ON CONFLICT (key) DO UPDATE SET
  window_start = CASE
    WHEN r.blocked_until > clock_timestamp() THEN r.window_start
    WHEN r.window_start + $2::float8 * interval '1 second' <= clock_timestamp() THEN clock_timestamp()
    ELSE r.window_start END,
  hits = CASE
    WHEN r.blocked_until > clock_timestamp() THEN r.hits
    WHEN r.window_start + $2::float8 * interval '1 second' <= clock_timestamp() THEN 1
    ELSE r.hits + 1 END,
  blocked_until = CASE
    WHEN r.blocked_until > clock_timestamp() THEN r.blocked_until
    WHEN r.window_start + $2::float8 * interval '1 second' > clock_timestamp() AND r.hits + 1 > $3::int
      THEN COALESCE(clock_timestamp() + $4::float8 * interval '1 second', r.window_start + $2::float8 * interval '1 second')
    ELSE NULL END
RETURNING hits, CEIL(EXTRACT(EPOCH FROM (blocked_until - clock_timestamp())))::int AS blocked_for`;

/** Counts one hit against `key`, shared by every process through PostgreSQL. */
export async function hitRateLimit(db: SqlRunner, key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
  const [row] = rowsOf(await db.query(HIT_SQL, [key, rule.windowSeconds, rule.limit, rule.blockSeconds ?? null]));
  const blockedFor = row.blocked_for === null ? 0 : Number(row.blocked_for);
  if (blockedFor > 0) return { allowed: false, remaining: 0, retryAfterSeconds: blockedFor };
  return { allowed: true, remaining: Math.max(0, rule.limit - Number(row.hits)), retryAfterSeconds: 0 };
}

/** Throws RATE_LIMITED (429 with Retry-After) when the hit is over the limit. */
export async function enforceRateLimit(db: SqlRunner, key: string, rule: RateLimitRule): Promise<void> {
  const decision = await hitRateLimit(db, key, rule);
  if (!decision.allowed) {
    throw new DomainError('RATE_LIMITED', `Too many requests. Try again in ${decision.retryAfterSeconds} seconds.`, {
      retryAfter: decision.retryAfterSeconds,
    });
  }
}
