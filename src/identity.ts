import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who is calling, as established by the router's edge auth and trusted by subgraphs. */
export interface Identity {
  requestId: string;
  /** Client IP as the router saw it (for per-IP limits). */
  ip: string;
  tenantId?: string;
  apiKeyId?: string;
  keyType?: 'public' | 'secret';
  scopes?: string[];
  /** End user from a valid access token. */
  userId?: string;
  sessionId?: string;
  /** Internal callers (the router itself, CLIs, workers). */
  service?: string;
}

/** Where the signed identity travels in a GraphQL request: `extensions[IDENTITY_EXTENSION]`. */
export const IDENTITY_EXTENSION = 'platformIdentity';
/** How long a signed identity stays valid; the router re-signs well within this. */
export const IDENTITY_MAX_AGE_SECONDS = 120;

interface SignedPayload {
  id: Identity;
  iat: number;
}

function mac(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export function signIdentity(identity: Identity, secret: string, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ id: identity, iat: Math.floor(now / 1000) } satisfies SignedPayload)).toString('base64url');
  return `${body}.${mac(secret, body).toString('base64url')}`;
}

/** Returns the identity, or undefined when the token is missing, forged or stale. */
export function verifyIdentity(token: unknown, secret: string, now = Date.now()): Identity | undefined {
  if (typeof token !== 'string') return undefined;
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SignedPayload;
    const age = Math.floor(now / 1000) - payload.iat;
    if (!(age >= -5 && age <= IDENTITY_MAX_AGE_SECONDS)) return undefined;
    return payload.id;
  } catch {
    return undefined;
  }
}
