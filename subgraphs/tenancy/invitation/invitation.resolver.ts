import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Authenticated, Policy, requireTenant, RequiresScopes, requireUser, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { OrgPermissions } from '../../../src/federation/organization-access';
import { DomainError } from '../../../src/errors';
import { MessageResult } from '../auth/auth.types';
import { actorOf } from '../membership/membership.actor';
import type { MembershipService } from '../membership/membership.service';
import { Organization } from '../organization/organization.entity';
import type { OrganizationService } from '../organization/organization.service';
import { InvitationAcceptance, InvitationArgs, InvitationDetails, InvitationTokenArgs, InviteArgs, PendingInvitationsArgs } from '../organization/organization.types';
import { Invitation } from './invitation.entity';
import type { InvitationService, InvitationView } from './invitation.service';

const details = ({ invitation, organization }: InvitationView): InvitationDetails => ({
  id: invitation.id,
  organizationId: organization.id,
  organizationName: organization.name,
  organizationSlug: organization.slug,
  email: invitation.email,
  role: invitation.role,
  status: invitation.status,
  expiresAt: invitation.expiresAt,
  createdAt: invitation.createdAt,
});

export function createInvitationResolver(invitations: InvitationService, memberships: MembershipService, organizations: OrganizationService) {
  @Resolver(() => Invitation)
  class InvitationResolver {
    @Policy(OrgPermissions.MEMBERS_MANAGE)
    @Mutation(() => Invitation, { description: 'Invite someone by email with a role (owner or admin; only an owner invites owners); the link is mailed' })
    async inviteMember(@Args() { organizationId, email, role }: InviteArgs, @Ctx() context: SubgraphContext): Promise<Invitation> {
      const tenantId = requireTenant(context.identity);
      const actor = await actorOf(context, memberships, tenantId, organizationId);
      if (role === 'owner' && actor.kind === 'member' && actor.role !== 'owner') throw new DomainError('FORBIDDEN', 'Only an owner can change, remove or appoint an owner');
      return invitations.invite(tenantId, organizationId, email, role, actor.kind === 'member' ? actor.userId : null);
    }

    @Policy(OrgPermissions.MEMBERS_MANAGE)
    @Mutation(() => Invitation, { description: 'Mail a pending invitation again with a new link (the old one stops working)' })
    resendInvitation(@Args() { organizationId, invitationId }: InvitationArgs, @Ctx() context: SubgraphContext): Promise<Invitation> {
      return invitations.resend(requireTenant(context.identity), organizationId, invitationId);
    }

    @Policy(OrgPermissions.MEMBERS_MANAGE)
    @Mutation(() => MessageResult, { description: 'Cancel a pending invitation' })
    async cancelInvitation(@Args() { organizationId, invitationId }: InvitationArgs, @Ctx() context: SubgraphContext): Promise<MessageResult> {
      await invitations.cancel(requireTenant(context.identity), organizationId, invitationId);
      return { message: 'Invitation cancelled' };
    }

    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => InvitationAcceptance, { description: "Accept an invitation addressed to the signed-in user's email" })
    async acceptInvitation(@Args() { token }: InvitationTokenArgs, @Ctx() context: SubgraphContext): Promise<InvitationAcceptance> {
      const { tenantId, userId } = requireUser(context.identity);
      const { membership } = await invitations.accept(tenantId, userId, token);
      return { message: 'Invitation accepted', organization: await organizations.get(context, tenantId, membership.organizationId), role: membership.role };
    }

    @Authenticated()
    @Mutation(() => MessageResult, { description: 'Decline an invitation by its token (public: a public key alone)' })
    async rejectInvitation(@Args() { token }: InvitationTokenArgs, @Ctx() context: SubgraphContext): Promise<MessageResult> {
      await invitations.reject(requireTenant(context.identity), token);
      return { message: 'Invitation rejected' };
    }

    @Authenticated()
    @Query(() => [InvitationDetails], { description: 'Pending invitations to an email (public: a public key alone)' })
    async pendingInvitations(@Args() { email }: PendingInvitationsArgs, @Ctx() context: SubgraphContext): Promise<InvitationDetails[]> {
      return (await invitations.pendingFor(requireTenant(context.identity), email)).map(details);
    }

    @Authenticated()
    @Query(() => InvitationDetails, { description: 'An invitation by its token (public: a public key alone)' })
    async invitationByToken(@Args() { token }: InvitationTokenArgs, @Ctx() context: SubgraphContext): Promise<InvitationDetails> {
      return details(await invitations.byToken(requireTenant(context.identity), token));
    }
  }
  return InvitationResolver;
}

/** `Organization.invitations`: the pending ones, for those who manage members. */
export function createOrganizationInvitationsResolver(invitations: InvitationService) {
  @Resolver(() => Organization)
  class OrganizationInvitationsResolver {
    @Policy(OrgPermissions.MEMBERS_MANAGE)
    @FieldResolver(() => [Invitation], { description: 'Pending, unexpired invitations, newest first (owner or admin)' })
    invitations(@Root() organization: Organization, @Ctx() context: SubgraphContext): Promise<Invitation[]> {
      return invitations.pendingOf(context, organization.tenantId, organization.id);
    }
  }
  return OrganizationInvitationsResolver;
}
