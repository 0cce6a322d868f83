import jwt from 'jsonwebtoken';
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';

/** Claims of an end user's tokens. `sid` is the session (the refresh-token family). */
export interface UserTokenClaims {
  sub: string;
  tid: string;
  sid: string;
  typ: 'access' | 'refresh';
  jti: string;
}

const ISSUER = 'agent-saas-platform';

// Given a string, jsonwebtoken first tries it as a PEM public key (an OpenSSL parse that throws)
// on every call before taking it as a secret: the key object is made once instead.
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export function signUserToken(claims: Omit<UserTokenClaims, 'jti'> & { jti?: string }, secret: string, ttlSeconds: number): Promise<string> {
  const token = jwt.sign({ tid: claims.tid, sid: claims.sid, typ: claims.typ }, keyOf(secret), {
    algorithm: 'HS256',
    subject: claims.sub,
    jwtid: claims.jti ?? randomUUID(),
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
  return Promise.resolve(token);
}

/** Returns the claims, or undefined for a malformed, forged, expired or mistyped token. */
export function verifyUserToken(token: string, secret: string, typ: UserTokenClaims['typ']): Promise<UserTokenClaims | undefined> {
  try {
    const payload = jwt.verify(token, keyOf(secret), { algorithms: ['HS256'], issuer: ISSUER });
    if (typeof payload !== 'object' || payload.typ !== typ) return Promise.resolve(undefined);
    const { sub, tid, sid, jti } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || typeof tid !== 'string' || typeof sid !== 'string' || typeof jti !== 'string') {
      return Promise.resolve(undefined);
    }
    return Promise.resolve({ sub, tid, sid, typ, jti });
  } catch {
    return Promise.resolve(undefined);
  }
}

/**
 * The session id a token names, read without checking anything: only to start looking the session
 * up while the signature is verified (the lookup's answer counts only for verified claims).
 */
export function unverifiedSessionId(token: string): string | undefined {
  const payload = jwt.decode(token, { json: true });
  return typeof payload?.sid === 'string' ? payload.sid : undefined;
}

export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}
