import { IsEmail, IsIn, IsNotEmpty, IsOptional, MaxLength } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ADMIN_SCOPE, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { MESSAGES } from '../../../src/federation/input-validation';
import { Tenant } from '../tenant/tenant.entity';
import type { WorkspaceRole } from './admin.entity';
import { AdminInvitation, WorkspaceAdmin } from './admin-invitation.entity';
import type { AdminInvitationService } from './admin-invitation.service';
import { loginResult, requireAdmin } from './admin.resolver';
import { AdminCredentialsArgs, AdminLoginResult } from './admin.types';

const ROLES: WorkspaceRole[] = ['owner', 'admin'];

@ArgsType()
class InviteWorkspaceAdminArgs {
  @IsNotEmpty(MESSAGES.required)
  @Field(() => ID)
  workspaceId!: string;

  @IsEmail({}, MESSAGES.email)
  @MaxLength(320)
  @Field()
  email!: string;

  @IsOptional()
  @IsIn(ROLES, { message: `must be one of: ${ROLES.join(', ')}` })
  @Field(() => String, { nullable: true, description: 'owner or admin (default admin)' })
  role?: WorkspaceRole | null;
}

@ArgsType()
class InvitationTokenArgs {
  @IsNotEmpty(MESSAGES.required)
  @MaxLength(200)
  @Field()
  token!: string;
}

@ArgsType()
class NewInvitedAdminArgs extends AdminCredentialsArgs {
  @IsNotEmpty(MESSAGES.required)
  @MaxLength(200)
  @Field()
  token!: string;
}

/** Admins of a workspace and their invitations (GraphQL; the dashboard's own calls). */
export function createAdminInvitationResolver(invitations: AdminInvitationService) {
  @Resolver()
  class AdminInvitationResolver {
    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => AdminInvitation, { description: 'Invite someone by email to administer a workspace (only owners invite owners)' })
    inviteWorkspaceAdmin(@Args() { workspaceId, email, role }: InviteWorkspaceAdminArgs, @Ctx() { identity }: SubgraphContext): Promise<AdminInvitation> {
      return invitations.invite(requireAdmin(identity).adminId, workspaceId, email, role ?? 'admin');
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => Tenant, { description: 'The signed-in admin accepts an invitation: one more workspace' })
    acceptWorkspaceAdminInvitation(@Args() { token }: InvitationTokenArgs, @Ctx() { identity }: SubgraphContext): Promise<Tenant> {
      return invitations.acceptAsAdmin(requireAdmin(identity).adminId, token);
    }

    @Mutation(() => AdminLoginResult, { description: 'Someone new accepts an invitation: a new admin account, signed in' })
    async registerInvitedAdmin(@Args() { token, username, password }: NewInvitedAdminArgs): Promise<AdminLoginResult> {
      return loginResult(await invitations.acceptAsNewAdmin(token, username.trim(), password));
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Query(() => [WorkspaceAdmin], { description: 'The admins of a workspace the caller administers' })
    workspaceAdmins(@Arg('workspaceId', () => ID) workspaceId: string, @Ctx() { identity }: SubgraphContext): Promise<WorkspaceAdmin[]> {
      return invitations.members(requireAdmin(identity).adminId, workspaceId);
    }
  }
  return AdminInvitationResolver;
}
