import { subgraphData } from './subgraph-call';
import type { OrgRole, RoleOf } from './organization-access';

const MY_ROLES = '{ myOrganizations { id role } }';

/**
 * The `RoleOf` a subgraph other than tenancy gives `organizationPolicies` (e.g. billing for its
 * BILLING_READ fields on `Organization`): tenancy owns memberships, so the caller's roles are
 * asked of it once per request (a synchronous cross-domain check, with the caller's own signed
 * identity: an end user only ever learns their own roles), then read from the request's loader.
 */
export function rolesFromTenancy(tenancyUrl: string, internalSecret: string): RoleOf {
  return async (context, tenantId, userId, organizationId) => {
    // The router looked this role up with the request's credentials (src/identity.ts): no call needed.
    const { identity } = context;
    if (identity.tenantId === tenantId && identity.userId === userId && identity.defaultOrganizationId === organizationId && identity.defaultOrganizationRole) {
      return identity.defaultOrganizationRole;
    }
    const loader = context.loader<string, Map<string, OrgRole>>('organization-roles-from-tenancy', (keys) =>
      Promise.all(
        keys.map(async () => {
          const identity = context.identity;
          if (identity.tenantId !== tenantId || identity.userId !== userId) return new Map<string, OrgRole>();
          const data = await subgraphData<{ myOrganizations: Array<{ id: string; role: OrgRole }> }>('Organization roles', tenancyUrl, internalSecret, identity, { query: MY_ROLES });
          return new Map(data.myOrganizations.map((o) => [o.id, o.role]));
        }),
      ),
    );
    return (await loader.load(`${tenantId}:${userId}`)).get(organizationId) ?? null;
  };
}
