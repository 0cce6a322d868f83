import type { AuthChecker } from 'type-graphql';
import { DomainError } from '../errors';
import type { Identity } from '../identity';
import type { SubgraphContext } from './context';

/**
 * Access rules, named in `@Authorized(...)`:
 * - `AUTH_ENDPOINT`: any key of the tenant, public keys included (the auth flows).
 * - `END_USER`: a signed-in end user (access token).
 * - `secretScope('users:read')`: a secret key carrying that scope (or `*`).
 * With no rule but `@Authorized()`, any tenant caller except a bare public key.
 */
export const AUTH_ENDPOINT = 'auth-endpoint';
export const END_USER = 'end-user';
export const secretScope = (scope: string): string => `scope:${scope}`;

export function hasScope(identity: Identity, scope: string): boolean {
  return identity.keyType === 'secret' && !!identity.scopes && (identity.scopes.includes('*') || identity.scopes.includes(scope));
}

/** The tenant of the caller; throws 401 when there is none. */
export function requireTenant(identity: Identity): string {
  if (!identity.tenantId) throw new DomainError('INVALID_API_KEY');
  return identity.tenantId;
}

export function requireUser(identity: Identity): { tenantId: string; userId: string; sessionId?: string } {
  const tenantId = requireTenant(identity);
  if (!identity.userId) throw new DomainError('UNAUTHENTICATED', 'Not authenticated');
  return { tenantId, userId: identity.userId, sessionId: identity.sessionId };
}

export function checkAccess(identity: Identity, rules: string[]): void {
  requireTenant(identity);
  if (rules.includes(AUTH_ENDPOINT)) return;
  if (rules.includes(END_USER)) {
    requireUser(identity);
    return;
  }
  if (identity.keyType === 'public' && !identity.userId) throw new DomainError('PUBLIC_KEY_NOT_ALLOWED');
  const scopes = rules.filter((r) => r.startsWith('scope:')).map((r) => r.slice('scope:'.length));
  if (scopes.length > 0 && !scopes.some((scope) => hasScope(identity, scope))) {
    throw new DomainError('INSUFFICIENT_SCOPE', `This operation requires a secret key with scope ${scopes.join(' or ')}`);
  }
}

export const authChecker: AuthChecker<SubgraphContext> = ({ context }, rules) => {
  checkAccess(context.identity, rules);
  return true;
};
