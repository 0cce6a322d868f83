import { DomainError, validationError } from '../../src/errors';
import { requireTenant } from '../../src/federation/access';
import type { SubgraphContext } from '../../src/federation/context';
import type { RoleOf } from '../../src/federation/organization-access';
import { isUuid } from '../../src/validation';

/** Where an entities call acts: the caller's tenant and the organization it named (null: the tenant's own). */
export interface EntityScope {
  tenantId: string;
  organizationId: string | null;
}

/**
 * Decides the organization an entities call acts in (the `X-Organization-Id` header on /v1, the
 * `organizationId` argument in GraphQL). An end user must be an active member of it (tenancy
 * says, through `roleOf`); else 404, as for an organization that does not exist. A caller without
 * an end user (a secret key, a tenant admin) is the tenant's server: any organization of its
 * tenant, or none for the tenant's own schemas. Every query stays scoped by the tenant too.
 */
export class OrganizationScopes {
  constructor(private readonly roleOf: RoleOf) {}

  async resolve(context: SubgraphContext, organizationId: string | null | undefined): Promise<EntityScope> {
    const tenantId = requireTenant(context.identity);
    const userId = context.identity.userId;
    if (organizationId === undefined || organizationId === null || organizationId === '') {
      if (userId) throw validationError([{ field: 'organizationId', message: 'is required for end users (the X-Organization-Id header)' }]);
      return { tenantId, organizationId: null };
    }
    if (!isUuid(organizationId)) throw new DomainError('NOT_FOUND', 'Organization not found');
    if (userId && !(await this.roleOf(context, tenantId, userId, organizationId.toLowerCase()))) throw new DomainError('NOT_FOUND', 'Organization not found');
    return { tenantId, organizationId: organizationId.toLowerCase() };
  }

  /** Whether the caller may see rows of `organizationId` (live events, checked per event). */
  async canSee(context: SubgraphContext, tenantId: string, organizationId: string | null): Promise<boolean> {
    const { identity } = context;
    if (identity.tenantId !== tenantId) return false;
    if (!identity.userId) return true;
    return organizationId !== null && !!(await this.roleOf(context, tenantId, identity.userId, organizationId));
  }
}
