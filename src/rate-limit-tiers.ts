/**
 * Request rates per tenant tier (`000_…` "Rate Limits"): requests per minute, and the burst
 * allowance, the share of that rate a caller may go beyond it within one minute before 429
 * (the headers' `X-RateLimit-Remaining` reaches 0 at the rate; the burst is tolerance past it).
 */
export const RATE_LIMIT_TIERS = ['free', 'starter', 'pro', 'agency', 'enterprise'] as const;
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number];

export interface TierRate {
  perMinute: number;
  /** Extra share of `perMinute` allowed within the minute (0.2 = 20%). */
  burst: number;
}

export const TIER_RATES: Record<RateLimitTier, TierRate> = {
  free: { perMinute: 60, burst: 0 },
  starter: { perMinute: 1_000, burst: 0.2 },
  pro: { perMinute: 5_000, burst: 0.3 },
  agency: { perMinute: 20_000, burst: 0.5 },
  enterprise: { perMinute: 100_000, burst: 1 },
};

/**
 * Workspace tiers the `/api/v1` workspaces document names but the rate table does not
 * (`business`), mapped to the rate tier they sit at.
 */
const TIER_ALIASES: Record<string, RateLimitTier> = { business: 'agency' };

export function isRateLimitTier(value: unknown): value is RateLimitTier {
  return typeof value === 'string' && (RATE_LIMIT_TIERS as readonly string[]).includes(value);
}

/** The rate tier of a stored tier name; unknown names get the smallest (fail closed). */
export function rateTierOf(tier: string | null | undefined): RateLimitTier {
  if (isRateLimitTier(tier)) return tier;
  return (tier && TIER_ALIASES[tier]) || 'free';
}

/**
 * The tier a caller's requests run at: its workspace's, or its API key's own `rate_limit_tier`
 * when that is lower (a key can be held below its workspace, never raised above it).
 */
export function effectiveTier(workspaceTier: string | null | undefined, keyTier?: string | null): RateLimitTier {
  const workspace = rateTierOf(workspaceTier);
  if (!keyTier) return workspace;
  const key = rateTierOf(keyTier);
  return RATE_LIMIT_TIERS.indexOf(key) < RATE_LIMIT_TIERS.indexOf(workspace) ? key : workspace;
}
