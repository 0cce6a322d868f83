import type { RateLimitRule } from '../../../src/rate-limit';

/** Per-IP (and per-user for change-password) limits, exactly as the BaaS API documents them. */
export const AUTH_RATE_LIMITS = {
  register: { limit: 3, windowSeconds: 3600, blockSeconds: 1800 },
  login: { limit: 10, windowSeconds: 900, blockSeconds: 900 },
  forgotPassword: { limit: 3, windowSeconds: 3600, blockSeconds: 1800 },
  resendVerification: { limit: 3, windowSeconds: 3600, blockSeconds: 1800 },
  changePassword: { limit: 5, windowSeconds: 3600, blockSeconds: 1800 },
  verifyEmailWithToken: { limit: 20, windowSeconds: 3600 },
  // Each start of an OAuth sign-in keeps a row (PKCE verifier, nonce) for a while: bound them per IP.
  oauthStart: { limit: 30, windowSeconds: 900, blockSeconds: 900 },
  // Tenant admins (admin/): per IP for login, per admin for 2FA codes (a 6-digit code is guessable)
  adminLogin: { limit: 10, windowSeconds: 900, blockSeconds: 900 },
  adminTwoFactor: { limit: 10, windowSeconds: 900, blockSeconds: 900 },
} satisfies Record<string, RateLimitRule>;

export type AuthRateLimitName = keyof typeof AUTH_RATE_LIMITS;

/** AUTH_RATE_LIMIT_FACTOR scales allowances (e.g. for load tests); 1 keeps the documented numbers. */
export function scaledRule(name: AuthRateLimitName, factor: number): RateLimitRule {
  const rule: RateLimitRule = AUTH_RATE_LIMITS[name];
  return { ...rule, limit: Math.max(1, Math.round(rule.limit * factor)) };
}
