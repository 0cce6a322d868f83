import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Policy, requireTenant, requireUser } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { OrgPermissions } from '../../../src/federation/organization-access';
import { MessageResult } from '../auth/auth.types';
import type { EndUserService } from '../end-user/end-user.service';
import type { OrganizationService } from '../organization/organization.service';
import { ChangeRoleArgs, MemberArgs, OrganizationArgs } from '../organization/organization.types';
import { actorOf } from './membership.actor';
import { Membership } from './membership.entity';
import type { MembershipService } from './membership.service';

export function createMembershipResolver(memberships: MembershipService, organizations: OrganizationService, users: EndUserService) {
  @Resolver(() => Membership)
  class MembershipResolver {
    @Policy(OrgPermissions.MEMBERS_READ)
    @Query(() => [Membership], { description: 'Members of an organization, active and deactivated' })
    async organizationMembers(@Args() { organizationId }: OrganizationArgs, @Ctx() context: SubgraphContext): Promise<Membership[]> {
      const tenantId = requireTenant(context.identity);
      await organizations.get(context, tenantId, organizationId); // a key's unknown id is 404, not an empty list
      return memberships.ofOrganization(context, tenantId, organizationId);
    }

    @Policy(OrgPermissions.MEMBERS_MANAGE)
    @Mutation(() => Membership, { description: "Change a member's role (owner or admin; only an owner touches owners; the last owner stays)" })
    async updateMemberRole(@Args() { organizationId, userId, role }: ChangeRoleArgs, @Ctx() context: SubgraphContext): Promise<Membership> {
      const tenantId = requireTenant(context.identity);
      return memberships.changeRole(tenantId, organizationId, userId, role, await actorOf(context, memberships, tenantId, organizationId));
    }

    @Policy(OrgPermissions.MEMBERS_MANAGE)
    @Mutation(() => MessageResult, { description: 'Remove a member (owner or admin; the last owner stays)' })
    async removeMember(@Args() { organizationId, userId }: MemberArgs, @Ctx() context: SubgraphContext): Promise<MessageResult> {
      const tenantId = requireTenant(context.identity);
      await memberships.remove(tenantId, organizationId, userId, await actorOf(context, memberships, tenantId, organizationId));
      return { message: 'Member removed' };
    }

    @Policy(OrgPermissions.MEMBERS_MANAGE)
    @Mutation(() => Membership, { description: 'Deactivate a member: they keep their row but lose access (the last owner stays)' })
    async deactivateMember(@Args() { organizationId, userId }: MemberArgs, @Ctx() context: SubgraphContext): Promise<Membership> {
      const tenantId = requireTenant(context.identity);
      return memberships.deactivate(tenantId, organizationId, userId, await actorOf(context, memberships, tenantId, organizationId));
    }

    @Policy(OrgPermissions.ORG_READ)
    @Mutation(() => MessageResult, { description: "Make an organization the signed-in user's default" })
    async setDefaultOrganization(@Args() { organizationId }: OrganizationArgs, @Ctx() context: SubgraphContext): Promise<MessageResult> {
      const { tenantId, userId } = requireUser(context.identity);
      await memberships.setDefault(tenantId, organizationId, userId);
      return { message: 'Default organization set' };
    }

    @FieldResolver(() => String)
    async email(@Root() member: Membership, @Ctx() context: SubgraphContext): Promise<string> {
      return (await users.load(context, member.tenantId, member.userId))?.email ?? '';
    }

    @FieldResolver(() => String, { nullable: true })
    async displayName(@Root() member: Membership, @Ctx() context: SubgraphContext): Promise<string | null> {
      return (await users.load(context, member.tenantId, member.userId))?.displayName ?? null;
    }
  }
  return MembershipResolver;
}
