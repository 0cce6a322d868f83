import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Authenticated, Policy, requireTenant } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { OrgPermissions } from '../../../src/federation/organization-access';
import { DomainError, validationError } from '../../../src/errors';
import type { MembershipService } from '../membership/membership.service';
import type { OrganizationService } from '../organization/organization.service';
import { DepartmentArgs, OrganizationArgs } from '../organization/organization.types';
import { Department } from './department.entity';
import type { DepartmentService } from './department.service';

export function createDepartmentResolver(departments: DepartmentService, memberships: MembershipService, organizations: OrganizationService) {
  @Resolver(() => Department)
  class DepartmentResolver {
    @Policy(OrgPermissions.ORG_READ)
    @Query(() => [Department], { description: "An organization's departments, the default first" })
    async organizationDepartments(@Args() { organizationId }: OrganizationArgs, @Ctx() context: SubgraphContext): Promise<Department[]> {
      const tenantId = requireTenant(context.identity);
      await organizations.get(context, tenantId, organizationId); // a key's unknown id is 404, not an empty list
      return departments.ofOrganization(context, tenantId, organizationId);
    }

    /**
     * Documented as reachable with a public key alone: the user named (or the signed-in one) must
     * be an active member of the department's organization, else it does not exist for them.
     */
    @Authenticated()
    @Query(() => Department, { description: "A department, for a member of its organization (userId, or the signed-in user's session)" })
    async department(@Args() { departmentId, userId }: DepartmentArgs, @Ctx() context: SubgraphContext): Promise<Department> {
      const tenantId = requireTenant(context.identity);
      const memberId = context.identity.userId ?? userId;
      if (!memberId) throw validationError([{ field: 'userId', message: 'is required' }]);
      const department = await departments.load(context, tenantId, departmentId);
      const role = department ? await memberships.roleOf(context, tenantId, memberId, department.organizationId) : null;
      if (!department || !role) throw new DomainError('NOT_FOUND', 'Department not found');
      return department;
    }
  }
  return DepartmentResolver;
}
