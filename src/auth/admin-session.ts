import { createHash } from 'node:crypto';

/**
 * Tenant admin session tokens, shared by the tenancy subgraph (which issues them) and the
 * router's edge auth (which resolves them): opaque random tokens stored as SHA-256 digests,
 * prefixed so they are never mistaken for an API key or an end user's JWT.
 */
export const ADMIN_TOKEN_PREFIX = 'adm_';
/** The HTTP-only cookie the dashboard's browser sends instead of a Bearer header. */
export const ADMIN_SESSION_COOKIE = 'admin_session';
export const ADMIN_SESSION_TTL_SECONDS = 12 * 3600;

export function isAdminToken(token: string): boolean {
  return token.startsWith(ADMIN_TOKEN_PREFIX) && /^[A-Za-z0-9_-]{20,200}$/.test(token);
}

export function adminTokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The admin session cookie of a `Cookie` header, if any. */
export function adminCookieToken(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === ADMIN_SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** `Set-Cookie` for a new session (HTTP-only, Secure, SameSite=Strict: no cross-site use), or to clear it. */
export function adminSessionCookie(token: string | undefined): string {
  const attributes = 'Path=/; HttpOnly; Secure; SameSite=Strict';
  return token
    ? `${ADMIN_SESSION_COOKIE}=${token}; Max-Age=${ADMIN_SESSION_TTL_SECONDS}; ${attributes}`
    : `${ADMIN_SESSION_COOKIE}=; Max-Age=0; ${attributes}`;
}
