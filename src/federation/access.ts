import { Directive } from 'type-graphql';
import { DomainError } from '../errors';
import { serverScopes, type Identity } from '../identity';
import { couldHoldPermissions, keyScopesGranting } from './organization-access';

/**
 * Access rules live on the schema as the federation directives `@authenticated`,
 * `@requiresScopes` and `@policy`. The router enforces them for the whole supergraph
 * (router/access-rules.ts); each subgraph checks the same directives again at its entry points
 * (root fields, fields with their own resolver, reference resolvers: see guard-schema.ts).
 * This module is the one place that decides whether an identity satisfies a rule.
 *
 * What a caller is granted:
 * - `@authenticated`: any caller that identified a tenant (a valid key, public ones included, or
 *   an end user's access token). Only the auth flows rely on this alone.
 * - scopes: a secret key's scopes (`*` grants every key scope); an end user's session grants
 *   `SELF_SCOPE` (act on the signed-in user's own data). A bare public key has no scope.
 * - policies: rules that need data (an organization role). The router grants a policy when
 *   the caller could hold it; the owning subgraph decides with the data.
 */

/**
 * A domain's scope names (`resource:action`), declared once by the subgraph that owns them and
 * gathered for API keys in subgraphs/scopes.ts.
 */
export function defineScopes<T extends Record<string, string>>(scopes: T): Readonly<T> {
  for (const scope of Object.values(scopes)) {
    if (!/^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*$/.test(scope) || SESSION_SCOPES.has(scope)) throw new Error(`Invalid scope name: ${scope}`);
  }
  return Object.freeze(scopes);
}

/** The scope an end user's session carries: their own data, never anyone else's. */
export const SELF_SCOPE = 'user:self';

/** The scope a tenant admin's dashboard session carries (and nothing else does). */
export const ADMIN_SCOPE = 'admin:session';

/** Scopes no API key can carry, so `*` does not grant them. */
const SESSION_SCOPES = new Set([SELF_SCOPE, ADMIN_SCOPE]);

export interface AccessRule {
  authenticated?: boolean;
  /** Alternatives (OR) of scope sets (AND), as in `@requiresScopes(scopes: [[...]])`. */
  scopes?: string[][];
  policies?: string[][];
}

/** Any tenant caller, public keys included (the auth flows). */
export const Authenticated = (): MethodDecorator & ClassDecorator & PropertyDecorator => Directive('@authenticated');

/** Granted when the caller holds any one of `scopes` (e.g. a key scope, or SELF_SCOPE). */
export const RequiresScopes = (...scopes: string[]): MethodDecorator & ClassDecorator & PropertyDecorator =>
  Directive(`@requiresScopes(scopes: ${JSON.stringify(scopes.map((scope) => [scope]))})`);

/** Granted when the caller satisfies any one of `policies` (rules that need data). */
export const Policy = (...policies: string[]): MethodDecorator & ClassDecorator & PropertyDecorator =>
  Directive(`@policy(policies: ${JSON.stringify(policies.map((policy) => [policy]))})`);

export function grantedScopes(identity: Identity | undefined): string[] {
  if (identity?.adminId) return [ADMIN_SCOPE, ...serverScopes(identity)];
  if (!identity?.tenantId) return [];
  const scopes = [...serverScopes(identity)];
  if (identity.userId) scopes.push(SELF_SCOPE);
  return scopes;
}

/**
 * Policies the caller could hold (the router has no data): organization permissions, which an end
 * user may hold through a role and a secret key through its scopes (organization-access.ts). The
 * subgraph that owns the field decides with the data (guard-schema.ts `PolicyDecider`).
 */
export function grantedPolicies(identity: Identity | undefined): string[] {
  return couldHoldPermissions(identity);
}

function holds(granted: string[], required: string): boolean {
  return granted.includes(required) || (granted.includes('*') && !SESSION_SCOPES.has(required));
}

function satisfied(alternatives: string[][], granted: string[]): boolean {
  return alternatives.some((all) => all.every((required) => holds(granted, required)));
}

function describe(alternatives: string[][]): string {
  return alternatives.map((all) => all.join(' and ')).join(' or ');
}

/** Why `identity` may not use something guarded by `rules` (all must hold), or undefined when it may. */
export function accessDenial(identity: Identity | undefined, rules: AccessRule[]): DomainError | undefined {
  const relevant = rules.filter((r) => r.authenticated || r.scopes?.length || r.policies?.length);
  if (relevant.length === 0) return undefined;
  if (!identity?.tenantId && !identity?.adminId) return new DomainError('UNAUTHENTICATED', 'Authentication required: send an API key or an access token');
  const scopes = grantedScopes(identity);
  const policies = grantedPolicies(identity);
  for (const rule of relevant) {
    if (rule.scopes?.length && !satisfied(rule.scopes, scopes)) return scopeDenial(identity, rule.scopes);
    if (rule.policies?.length && !satisfied(rule.policies, policies)) return policyDenial(identity, rule.policies);
  }
  return undefined;
}

/**
 * Why scopes were missing, in the terms the caller can act on: sign in (401) when only an end
 * user's session could grant it, a public key reaching past the auth flows (403), or a secret
 * key lacking a scope (403, naming the alternatives).
 */
function scopeDenial(identity: Identity, alternatives: string[][]): DomainError {
  const needsSession = (all: string[]) => all.includes(SELF_SCOPE);
  if (!identity.adminId && alternatives.every((all) => all.includes(ADMIN_SCOPE))) {
    return new DomainError('UNAUTHENTICATED', 'Not authenticated: this needs a tenant admin session');
  }
  if (identity.adminId && !identity.tenantId) {
    return new DomainError('FORBIDDEN', 'A tenant admin session acts in a workspace: name it with the X-Workspace-ID header');
  }
  const bareKey = !identity.userId;
  if (bareKey && alternatives.some(needsSession) && (identity.keyType === 'public' || alternatives.every(needsSession))) {
    return new DomainError('UNAUTHENTICATED', "Not authenticated: this needs an end user's access token");
  }
  if (bareKey && identity.keyType === 'public') return new DomainError('PUBLIC_KEY_NOT_ALLOWED');
  return new DomainError('INSUFFICIENT_SCOPE', `Requires scope ${describe(alternatives)}`, { requiredScopes: alternatives.map((all) => all.join(' and ')) });
}

/**
 * Why a policy (an organization permission) cannot be held, as scopeDenial words it: a bare public
 * key needs an end user's session (401); a secret key lacks the scope that grants it (403).
 */
function policyDenial(identity: Identity, alternatives: string[][]): DomainError {
  if (!identity.userId && identity.keyType === 'public') return new DomainError('UNAUTHENTICATED', "Not authenticated: this needs an end user's access token");
  const scopes = [...new Set(alternatives.flat().flatMap(keyScopesGranting))];
  if (!identity.userId && scopes.length) return new DomainError('INSUFFICIENT_SCOPE', `Requires scope ${scopes.join(' or ')}`, { requiredScopes: scopes });
  return new DomainError('FORBIDDEN', `Requires ${describe(alternatives)}`);
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

/** Whether the caller's key carries `scope`. */
function hasScope(identity: Identity, scope: string): boolean {
  return holds(serverScopes(identity), scope);
}

/** Whether the caller may see data of end user `userId`: a key with `scope`, or that user's own session. */
export function selfOrScope(identity: Identity, scope: string, userId: string): boolean {
  return hasScope(identity, scope) || identity.userId === userId;
}
