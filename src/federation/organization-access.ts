import { DomainError } from '../errors';
import { serverScopes, type Identity } from '../identity';
import { isUuid } from '../validation';
import type { SubgraphContext } from './context';
import type { PolicyDecider } from './guard-schema';

/**
 * Organization permissions: the `@policy` names of every organization-scoped field, in every
 * subgraph (`@Policy(OrgPermissions.MEMBERS_MANAGE)`). Who holds one is decided in two steps:
 * - the router (no data): an end user's session could hold any of them (through a role); a secret
 *   key holds the ones its organization scopes grant, on every organization of its tenant;
 * - the subgraph (with data): `organizationPolicies` finds the organization the field is about
 *   (its `organizationId` argument, or its parent: an `Organization`, or a row with `organizationId`)
 *   and the caller's role in it, through one loader per request.
 */
export const OrgPermissions = {
  ORG_READ: 'ORG_READ',
  ORG_MANAGE: 'ORG_MANAGE',
  MEMBERS_READ: 'MEMBERS_READ',
  MEMBERS_MANAGE: 'MEMBERS_MANAGE',
  BILLING_READ: 'BILLING_READ',
  BILLING_MANAGE: 'BILLING_MANAGE',
} as const;
export type OrgPermission = (typeof OrgPermissions)[keyof typeof OrgPermissions];
const ALL_PERMISSIONS = Object.values(OrgPermissions) as OrgPermission[];

export const ORG_ROLES = ['owner', 'admin', 'member', 'developer'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** The one table of what each role may do. */
export const ROLE_PERMISSIONS: Readonly<Record<OrgRole, readonly OrgPermission[]>> = {
  owner: ALL_PERMISSIONS,
  admin: ['ORG_READ', 'ORG_MANAGE', 'MEMBERS_READ', 'MEMBERS_MANAGE', 'BILLING_READ'],
  developer: ['ORG_READ', 'MEMBERS_READ', 'BILLING_READ'],
  member: ['ORG_READ', 'MEMBERS_READ'],
};

/**
 * Key scopes that make a secret key the tenant's server for organizations (declared by tenancy,
 * tenancy.scopes.ts, from here): read grants the read permissions, write all of them.
 */
export const ORGANIZATION_KEY_SCOPES = { read: 'organizations:read', write: 'organizations:write' } as const;
const KEY_SCOPE_PERMISSIONS: Readonly<Record<string, readonly OrgPermission[]>> = {
  [ORGANIZATION_KEY_SCOPES.read]: ['ORG_READ', 'MEMBERS_READ', 'BILLING_READ'],
  [ORGANIZATION_KEY_SCOPES.write]: ALL_PERMISSIONS,
  '*': ALL_PERMISSIONS,
};

/** The key scopes that grant `permission` (for error messages). */
export function keyScopesGranting(permission: string): string[] {
  return Object.entries(KEY_SCOPE_PERMISSIONS)
    .filter(([scope, granted]) => scope !== '*' && (granted as readonly string[]).includes(permission))
    .map(([scope]) => scope);
}

export function roleGrants(role: OrgRole | null | undefined, permission: string): boolean {
  return !!role && (ROLE_PERMISSIONS[role] as readonly string[]).includes(permission);
}

/** Permissions a secret key holds on every organization of its tenant, by its scopes. */
export function keyPermissions(identity: Identity | undefined): OrgPermission[] {
  return [...new Set(serverScopes(identity).flatMap((scope) => KEY_SCOPE_PERMISSIONS[scope] ?? []))];
}

/** What the router grants (no data): a key's permissions, and every permission an end user could hold through a role. */
export function couldHoldPermissions(identity: Identity | undefined): OrgPermission[] {
  if (!identity?.tenantId) return [];
  return identity.userId ? ALL_PERMISSIONS : keyPermissions(identity);
}

/** The caller's active role in an organization, or null when not an active member. */
export type RoleOf = (context: SubgraphContext, tenantId: string, userId: string, organizationId: string) => Promise<OrgRole | null>;

/** The organization a guarded field is about: its argument, or its parent. */
function organizationIdOf(target: { source: unknown; args: Record<string, unknown>; typeName: string }): unknown {
  if (target.args.organizationId !== undefined) return target.args.organizationId;
  const source = target.source as { id?: unknown; organizationId?: unknown } | undefined;
  return target.typeName === 'Organization' ? source?.id : source?.organizationId;
}

/**
 * The subgraph's decision for organization permissions. A key that holds them acts on any
 * organization of its tenant (each query stays tenant-scoped); an end user needs an active
 * membership (else 404: a non-member cannot tell the organization exists) with a role that
 * grants them (else 403).
 */
export function organizationPolicies(roleOf: RoleOf): PolicyDecider {
  return async (context, alternatives, target) => {
    const { identity } = context;
    const byKey = keyPermissions(identity);
    if (alternatives.some((all) => all.every((p) => byKey.includes(p as OrgPermission)))) return undefined;
    if (!identity.tenantId || !identity.userId) return new DomainError('FORBIDDEN', `Requires ${alternatives.map((a) => a.join(' and ')).join(' or ')}`);
    const organizationId = organizationIdOf(target);
    if (typeof organizationId !== 'string') return new DomainError('FORBIDDEN', 'No organization to check the permission against');
    const role = isUuid(organizationId) ? await roleOf(context, identity.tenantId, identity.userId, organizationId) : null;
    if (!role) return new DomainError('NOT_FOUND', 'Organization not found');
    if (alternatives.some((all) => all.every((p) => roleGrants(role, p)))) return undefined;
    return new DomainError('FORBIDDEN', `Your role (${role}) lacks ${alternatives.map((a) => a.join(' and ')).join(' or ')} in this organization`);
  };
}
