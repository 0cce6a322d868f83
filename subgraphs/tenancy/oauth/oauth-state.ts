import type { JWTPayload } from 'jose' with { 'resolution-mode': 'import' };
import { jose } from './esm-packages';
import { derivedKey } from './oauth-keys';

/** What the `state` of a sign-in carries, signed (HMAC-SHA256) so the callback can trust it. */
export interface SignInState {
  tenantId: string;
  /** The frontend URL the callback returns to (checked against the allow-list when signed). */
  redirectUri: string;
  /** The server-side attempt holding the PKCE verifier and the nonce. */
  attemptId: string;
  expiresAt: Date;
}

export type StateCheck = { valid: true; state: SignInState } | { valid: false; reason: 'expired'; state: SignInState } | { valid: false; reason: 'invalid' };

const ISSUER = 'agent-saas-platform/oauth-state';

export class StateSigner {
  private readonly key: Uint8Array;

  constructor(jwtSecret: string) {
    this.key = derivedKey(jwtSecret, 'oauth-state');
  }

  sign(state: SignInState): Promise<string> {
    return new jose.SignJWT({ tid: state.tenantId, rdr: state.redirectUri, aid: state.attemptId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setExpirationTime(Math.floor(state.expiresAt.getTime() / 1000))
      .sign(this.key);
  }

  /** An expired state was still signed by us: its redirect URI may be used to report the failure. */
  async check(token: string): Promise<StateCheck> {
    try {
      const { payload } = await jose.jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, requiredClaims: ['exp'] });
      const state = stateOf(payload);
      return state ? { valid: true, state } : { valid: false, reason: 'invalid' };
    } catch (error) {
      // jose checks the signature before the claims: an expired token's payload is authentic.
      const state = error instanceof jose.errors.JWTExpired ? stateOf(error.payload) : undefined;
      return state ? { valid: false, reason: 'expired', state } : { valid: false, reason: 'invalid' };
    }
  }
}

function stateOf(payload: JWTPayload): SignInState | undefined {
  const { tid, rdr, aid, exp } = payload;
  if (typeof tid !== 'string' || typeof rdr !== 'string' || typeof aid !== 'string' || typeof exp !== 'number') return undefined;
  return { tenantId: tid, redirectUri: rdr, attemptId: aid, expiresAt: new Date(exp * 1000) };
}
