import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RateLimitTier } from './rate-limit-tiers';
import type { OrgRole } from './federation/organization-access';

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
  /** Tenant admin from a valid dashboard session (no tenant of its own: it manages workspaces). */
  adminId?: string;
  adminSessionId?: string;
  /**
   * An end user's default organization as of this request (null: none), from the same credential
   * lookup; undefined where no edge lookup made the identity (internal callers ask tenancy).
   */
  defaultOrganizationId?: string | null;
  /**
   * The user's role in that organization, from the same lookup, so another subgraph can decide an
   * organization policy for it without asking tenancy. As fresh as asking: every request, and every
   * graphql-ws operation, is looked up anew (router/websockets.ts).
   */
  defaultOrganizationRole?: OrgRole | null;
  /** The rate tier the caller's requests run at (src/rate-limit-tiers.ts), from its credentials. */
  rateLimitTier?: RateLimitTier;
  /** Internal callers (the router itself, CLIs, workers). */
  service?: string;
}

/**
 * The key scopes of a caller acting as its tenant's server: a secret key, or a tenant admin's
 * session in the workspace it named (X-Workspace-ID, router/edge-auth.ts).
 */
export function serverScopes(identity: Identity | undefined): string[] {
  if (!identity?.tenantId) return [];
  return identity.keyType === 'secret' || identity.adminId ? identity.scopes ?? [] : [];
}

/** The part of a GraphQL request a signed identity is bound to, as it travels on the wire. */
export interface SignedOperation {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/** Where the signed identity travels in a GraphQL request: `extensions[IDENTITY_EXTENSION]`. */
export const IDENTITY_EXTENSION = 'platformIdentity';
/** How long a signed identity stays valid; the router re-signs well within this. */
export const IDENTITY_MAX_AGE_SECONDS = 120;

interface SealedPayload {
  id: Identity;
  iat: number;
}

/**
 * JSON with every object's keys sorted, so that the router (which holds variables as built) and
 * the subgraph (which holds them as parsed from the wire) serialise the same value identically.
 * Absent variables and `{}` are the same thing on the wire.
 */
export function canonicalJson(value: unknown): string {
  const json = value ?? {};
  // Entity representations ({__typename, id}) are usually sorted already: one walk, no copies.
  return keysSorted(json) ? JSON.stringify(json) : JSON.stringify(json, (_key, v) => (isPlainObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when every object's keys already come in sorted order (and none serialises itself via toJSON). */
function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (!isPlainObject(value)) return true;
  if (typeof value.toJSON === 'function') return false;
  let previous = '';
  for (const key of Object.keys(value)) {
    if (key < previous || !keysSorted(value[key])) return false;
    previous = key;
  }
  return true;
}

/**
 * SHA-256 (base64url) of the operation name, canonical variables and query text, or undefined
 * when the request carries no query text (e.g. a persisted-query hash), which nothing can sign.
 * The name and variables are JSON (no raw newline), so the newline framing is unambiguous.
 */
export function operationDigest(operation: SignedOperation): string | undefined {
  if (typeof operation.query !== 'string') return undefined;
  return createHash('sha256')
    .update(JSON.stringify(operation.operationName || null))
    .update('\n')
    .update(canonicalJson(operation.variables))
    .update('\n')
    .update(operation.query)
    .digest('base64url');
}

/** The identity part of a token (readable, not yet signed); cacheable per identity and time window. */
export function sealIdentity(identity: Identity, now = Date.now()): string {
  return Buffer.from(JSON.stringify({ id: identity, iat: Math.floor(now / 1000) } satisfies SealedPayload)).toString('base64url');
}

function mac(secret: string, sealed: string, digest: string): Buffer {
  return createHmac('sha256', secret).update(`${sealed}.${digest}`).digest();
}

/**
 * Token `<sealed identity>.<operation digest>.<HMAC of both>`: valid only for this exact
 * operation and variables, so a captured token cannot be replayed with another request.
 * Deterministic for one (sealed identity, operation): identical requests stay identical.
 */
export function bindIdentity(sealed: string, operation: SignedOperation, secret: string): string {
  const digest = operationDigest(operation);
  if (!digest) throw new Error('only an operation with query text can carry a signed identity');
  return `${sealed}.${digest}.${mac(secret, sealed, digest).toString('base64url')}`;
}

export function signIdentity(identity: Identity, operation: SignedOperation, secret: string, now = Date.now()): string {
  return bindIdentity(sealIdentity(identity, now), operation, secret);
}

/**
 * Returns the identity, or undefined when the token is missing, forged or stale, or was signed
 * for another operation than the one received (its digest is recomputed from `operation`).
 */
export function verifyIdentity(token: unknown, operation: SignedOperation, secret: string, now = Date.now()): Identity | undefined {
  if (typeof token !== 'string') return undefined;
  const [sealed, digest, given, ...rest] = token.split('.');
  if (!sealed || !digest || !given || rest.length) return undefined;
  if (digest !== operationDigest(operation)) return undefined;
  const signature = Buffer.from(given, 'base64url');
  const expected = mac(secret, sealed, digest);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(sealed, 'base64url').toString('utf8')) as SealedPayload;
    const age = Math.floor(now / 1000) - payload.iat;
    if (!(age >= -5 && age <= IDENTITY_MAX_AGE_SECONDS)) return undefined;
    return payload.id;
  } catch {
    return undefined;
  }
}
