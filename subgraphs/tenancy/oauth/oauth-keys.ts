import { createHmac } from 'node:crypto';

/**
 * Keys of the sign-in flow, derived from the configured JWT secret (one secret to set and
 * rotate), each for one purpose so a value made for one use is never accepted for another.
 */
export function derivedKey(jwtSecret: string, purpose: 'oauth-state' | 'oauth-client-secret'): Uint8Array {
  return new Uint8Array(createHmac('sha256', jwtSecret).update(`agent-saas-platform/${purpose}/v1`).digest());
}
