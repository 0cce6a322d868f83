/**
 * Browser origins allowed to use a credential or a pixel: `*` (any) or exact `scheme://host[:port]`
 * origins, as public API keys and tracking pixels list them.
 */

/** `https://app.example.com/path` → `https://app.example.com`; `*` stays; anything else is undefined. */
export function normaliseOrigin(origin: string): string | undefined {
  if (origin === '*') return origin;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** Whether a request from `origin` (its Origin header; none: not a browser's cross-origin call) is allowed. */
export function originAllowed(allowed: string[], origin: string | undefined): boolean {
  if (allowed.includes('*')) return true;
  if (!origin) return false;
  try {
    return allowed.includes(new URL(origin).origin);
  } catch {
    return false;
  }
}
