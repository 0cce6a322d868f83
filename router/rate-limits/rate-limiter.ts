import { rowsOf, type SqlRunner } from '../../src/db/sql-runner';
import type { Identity } from '../../src/identity';
import { TIER_RATES, type TierRate } from '../../src/rate-limit-tiers';

export interface RateLimitState {
  /** Requests per minute of the caller's tier (what `X-RateLimit-Limit` says). */
  limit: number;
  /** What is left of that rate this minute (0 while the caller runs on its burst allowance). */
  remaining: number;
  /** Unix time (seconds) when the window starts again. */
  resetAt: number;
}

export interface RateLimitHit extends RateLimitState {
  allowed: boolean;
  retryAfterSeconds: number;
}

const WINDOW_SECONDS = 60;
/** How often a router process adds its local count to the shared one (and learns the others'). */
const SYNC_INTERVAL_MS = 250;
/** Below this share of the allowance left, every hit waits for the shared count. */
const EXACT_BELOW = 0.05;

// The shared count of one caller in one aligned minute, summed over every router process.
const ADD_HITS_SQL = `
INSERT INTO platform.rate_limits AS r (key, window_start, hits) VALUES ($1, to_timestamp($2), $3)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN r.window_start = EXCLUDED.window_start THEN r.hits + EXCLUDED.hits ELSE EXCLUDED.hits END,
  window_start = EXCLUDED.window_start
RETURNING hits`;

interface Counter {
  window: number;
  /** The shared count when last synced, the hits being added now, and those counted here since. */
  shared: number;
  inFlight: number;
  pending: number;
  syncedAt: number;
  syncing?: Promise<void>;
}

/**
 * The request limit of every caller with credentials, on GraphQL and every REST face alike (one
 * budget per credential: API key, end user, or tenant admin), at the rate of the caller's tier
 * (`identity.rateLimitTier`, from the credential lookup edge auth already does), in aligned
 * one-minute windows. Within a window a caller gets its tier's rate plus the burst allowance
 * (`limit × (1 + burst)`); `remaining` counts down to 0 at the rate, the burst is tolerance past it.
 *
 * The count is shared through PostgreSQL (`platform.rate_limits`) so every router replica agrees,
 * but each process adds its hits in batches (every 250 ms, and on every hit once the caller is
 * within 5% of its allowance): one statement per caller and interval instead of one per request.
 * The overshoot is bounded: exact within one process near the limit; with several replicas, up to
 * what the others admitted since their last sync (≤ 250 ms of their traffic each).
 */
export class RateLimiter {
  private readonly counters = new Map<string, Counter>();

  /** `untieredRate`: callers with no workspace, hence no tier (a tenant admin on its dashboard). */
  constructor(
    private readonly db: SqlRunner,
    private readonly untieredRate: TierRate,
  ) {}

  /** The counter's key for a caller: its API key, else its admin's or end user's id. */
  static counterOf(identity: Identity): string {
    return `rate:${identity.apiKeyId ?? identity.adminId ?? identity.userId ?? identity.ip}`;
  }

  /** Callers with credentials are limited; anonymous ones (sign-up, login) have their own per-IP limits. */
  static applies(identity: Identity): boolean {
    return !!(identity.tenantId || identity.adminId);
  }

  rateOf(identity: Identity): TierRate {
    return identity.rateLimitTier ? TIER_RATES[identity.rateLimitTier] : this.untieredRate;
  }

  async hit(identity: Identity): Promise<RateLimitHit> {
    const key = RateLimiter.counterOf(identity);
    const now = Date.now();
    const window = Math.floor(now / 1000 / WINDOW_SECONDS);
    let counter = this.counters.get(key);
    if (!counter || counter.window !== window) {
      counter = { window, shared: 0, inFlight: 0, pending: 0, syncedAt: 0 };
      this.counters.set(key, counter);
      this.forgetOldWindows(window);
    }
    const { perMinute: limit, burst } = this.rateOf(identity);
    const allowance = Math.floor(limit * (1 + burst));
    const resetAt = (window + 1) * WINDOW_SECONDS;
    const used = () => counter.shared + counter.inFlight + counter.pending;
    const refused = (): RateLimitHit => ({ allowed: false, limit, remaining: 0, resetAt, retryAfterSeconds: Math.max(1, resetAt - Math.floor(now / 1000)) });
    if (used() >= allowance) {
      // Over: nothing more to count, but learn whether the shared count says otherwise.
      await this.sync(key, counter);
      if (used() >= allowance) return refused();
    }
    counter.pending += 1;
    const first = counter.syncedAt === 0;
    const nearLimit = allowance - used() < allowance * EXACT_BELOW;
    if (first || nearLimit) await this.sync(key, counter);
    else if (now - counter.syncedAt >= SYNC_INTERVAL_MS) void this.sync(key, counter).catch(() => undefined);
    if (used() > allowance) return refused();
    return { allowed: true, limit, remaining: Math.max(0, limit - used()), resetAt, retryAfterSeconds: 0 };
  }

  static headers({ limit, remaining, resetAt }: RateLimitState): Record<string, string> {
    return { 'x-ratelimit-limit': String(limit), 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(resetAt) };
  }

  /** Adds this process's pending hits to the shared count and reads the total back (one at a time per counter). */
  private sync(key: string, counter: Counter): Promise<void> {
    counter.syncing ??= (async () => {
      try {
        const hits = counter.pending;
        counter.pending = 0;
        counter.inFlight = hits;
        try {
          const [row] = rowsOf(await this.db.query(ADD_HITS_SQL, [key, counter.window * WINDOW_SECONDS, hits]));
          counter.shared = Number(row.hits);
        } catch (error) {
          counter.pending += hits; // counted next time
          throw error;
        } finally {
          counter.inFlight = 0;
        }
        counter.syncedAt = Date.now();
      } finally {
        counter.syncing = undefined;
      }
    })();
    return counter.syncing;
  }

  private forgetOldWindows(current: number): void {
    if (this.counters.size < 10_000) return;
    for (const [key, counter] of this.counters) if (counter.window !== current && !counter.pending) this.counters.delete(key);
  }
}
