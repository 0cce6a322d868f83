import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Policy, requireTenant, RequiresScopes, requireUser, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { OrgPermissions } from '../../../src/federation/organization-access';
import { Department } from '../department/department.entity';
import type { DepartmentService } from '../department/department.service';
import { Membership } from '../membership/membership.entity';
import type { MembershipService } from '../membership/membership.service';
import { Organization } from './organization.entity';
import type { OrganizationService } from './organization.service';
import { CreateOrganizationInput, OrganizationArgs, UpdateOrganizationInput } from './organization.types';

export function createOrganizationResolver(organizations: OrganizationService, memberships: MembershipService, departments: DepartmentService) {
  @Resolver(() => Organization)
  class OrganizationResolver {
    @RequiresScopes(SELF_SCOPE)
    @Query(() => [Organization], { description: 'The organizations the signed-in user is an active member of' })
    myOrganizations(@Ctx() context: SubgraphContext): Promise<Organization[]> {
      const { tenantId, userId } = requireUser(context.identity);
      return organizations.ofUser(context, tenantId, userId);
    }

    @Policy(OrgPermissions.ORG_READ)
    @Query(() => Organization, { description: 'An organization (members, or a key with organizations:read)' })
    organization(@Args() { organizationId }: OrganizationArgs, @Ctx() context: SubgraphContext): Promise<Organization> {
      return organizations.get(context, requireTenant(context.identity), organizationId);
    }

    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => Organization, { description: 'Create an organization: the signed-in user becomes its owner; it starts with a default department' })
    createOrganization(@Arg('input') input: CreateOrganizationInput, @Ctx() context: SubgraphContext): Promise<Organization> {
      const { tenantId, userId } = requireUser(context.identity);
      return organizations.create(tenantId, userId, input);
    }

    @Policy(OrgPermissions.ORG_MANAGE)
    @Mutation(() => Organization, { description: 'Update an organization (owner or admin)' })
    updateOrganization(@Args() { organizationId }: OrganizationArgs, @Arg('input') input: UpdateOrganizationInput, @Ctx() context: SubgraphContext): Promise<Organization> {
      return organizations.update(requireTenant(context.identity), organizationId, input);
    }

    @FieldResolver(() => String, { nullable: true, description: "The caller's role here (null for a key acting as the tenant's server)" })
    async role(@Root() organization: Organization, @Ctx() context: SubgraphContext): Promise<string | null> {
      const { tenantId, userId } = context.identity;
      return tenantId && userId ? memberships.roleOf(context, tenantId, userId, organization.id) : null;
    }

    @FieldResolver(() => Boolean, { description: "Whether this is the signed-in user's default organization" })
    async isDefault(@Root() organization: Organization, @Ctx() context: SubgraphContext): Promise<boolean> {
      const { tenantId, userId } = context.identity;
      if (!tenantId || !userId) return false;
      return (await memberships.ofUser(context, tenantId, userId)).some((m) => m.organizationId === organization.id && m.isDefault);
    }

    @Policy(OrgPermissions.MEMBERS_READ)
    @FieldResolver(() => [Membership], { description: 'Members, active and deactivated, oldest first' })
    members(@Root() organization: Organization, @Ctx() context: SubgraphContext): Promise<Membership[]> {
      return memberships.ofOrganization(context, organization.tenantId, organization.id);
    }

    @FieldResolver(() => [Department])
    departments(@Root() organization: Organization, @Ctx() context: SubgraphContext): Promise<Department[]> {
      return departments.ofOrganization(context, organization.tenantId, organization.id);
    }
  }
  return OrganizationResolver;
}
