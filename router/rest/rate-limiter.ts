import { rowsOf, type SqlRunner } from '../../src/db/sql-runner';
import type { Identity } from '../../src/identity';

export interface RateLimitState {
  limit: number;
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
/** Below this share of the limit left, every hit waits for the shared count. */
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
  /** The shared count when last synced, and the hits counted here since. */
  shared: number;
  pending: number;
  syncedAt: number;
  syncing?: Promise<void>;
}

/**
 * The per-caller request limit of faces that document one (`/api/v1`: `X-RateLimit-*` headers on
 * every answer, 429 beyond), in aligned one-minute windows. The count is shared through PostgreSQL
 * (`platform.rate_limits`) so every router replica agrees, but each process adds its hits in
 * batches (every 250 ms, and on every hit once the caller is near the limit): one statement per
 * caller and interval instead of one per request. One limit for every key for now; the
 * document's tiers (free … enterprise) come with billing.
 */
export class ApiRateLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(
    private readonly db: SqlRunner,
    private readonly perMinute: number,
  ) {}

  /** The counter's key for a caller: its API key, else its admin's or end user's id. */
  static counterOf(identity: Identity): string {
    return `api-v1:${identity.apiKeyId ?? identity.adminId ?? identity.userId ?? identity.ip}`;
  }

  async hit(identity: Identity): Promise<RateLimitHit> {
    const key = ApiRateLimiter.counterOf(identity);
    const now = Date.now();
    const window = Math.floor(now / 1000 / WINDOW_SECONDS);
    let counter = this.counters.get(key);
    if (!counter || counter.window !== window) {
      counter = { window, shared: 0, pending: 0, syncedAt: 0 };
      this.counters.set(key, counter);
      this.forgetOldWindows(window);
    }
    const limit = this.perMinute;
    const resetAt = (window + 1) * WINDOW_SECONDS;
    const used = () => counter.shared + counter.pending;
    if (used() >= limit) {
      // Over: nothing more to count, but learn whether the shared count says otherwise.
      await this.sync(key, counter);
      if (used() >= limit) return { allowed: false, limit, remaining: 0, resetAt, retryAfterSeconds: Math.max(1, resetAt - Math.floor(now / 1000)) };
    }
    counter.pending += 1;
    const first = counter.syncedAt === 0;
    const nearLimit = limit - used() < limit * EXACT_BELOW;
    if (first || nearLimit) await this.sync(key, counter);
    else if (now - counter.syncedAt >= SYNC_INTERVAL_MS) void this.sync(key, counter).catch(() => undefined);
    if (used() > limit) return { allowed: false, limit, remaining: 0, resetAt, retryAfterSeconds: Math.max(1, resetAt - Math.floor(now / 1000)) };
    return { allowed: true, limit, remaining: limit - used(), resetAt, retryAfterSeconds: 0 };
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
        try {
          const [row] = rowsOf(await this.db.query(ADD_HITS_SQL, [key, counter.window * WINDOW_SECONDS, hits]));
          counter.shared = Number(row.hits);
        } catch (error) {
          counter.pending += hits; // counted next time
          throw error;
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
