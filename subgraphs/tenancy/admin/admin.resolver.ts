import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ADMIN_SCOPE, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { DomainError } from '../../../src/errors';
import type { Identity } from '../../../src/identity';
import { MessageResult } from '../auth/auth.types';
import { Admin } from './admin.entity';
import type { AdminLogin, AdminService } from './admin.service';
import {
  AdminAuthStatus,
  AdminCredentialsArgs,
  AdminLoginArgs,
  AdminLoginResult,
  AdminVerifyTwoFactorArgs,
  DisableTwoFactorArgs,
  RecoveryCodes,
  TwoFactorCodeArgs,
  TwoFactorEnrolment,
  TwoFactorStatus,
  UpdateAdminInput,
} from './admin.types';

/** The signed-in admin (the access rule ADMIN_SCOPE already required a session). */
export function requireAdmin(identity: Identity): { adminId: string; sessionId?: string } {
  if (!identity.adminId) throw new DomainError('UNAUTHENTICATED', 'Not authenticated: this needs a tenant admin session');
  return { adminId: identity.adminId, sessionId: identity.adminSessionId };
}

export function loginResult(login: AdminLogin): AdminLoginResult {
  const signedIn = !login.twoFactorRequired;
  return {
    twoFactorRequired: login.twoFactorRequired,
    pendingToken: login.twoFactorRequired ? login.pendingToken : null,
    accessToken: signedIn ? login.accessToken : null,
    tokenType: signedIn ? 'bearer' : null,
    expiresIn: signedIn ? login.expiresIn : null,
    username: login.admin.username,
    totpEnabled: login.admin.totpEnabled,
  };
}

/**
 * The tool builder's admin auth (002 section Auth). Status, setup, login, its 2FA step and logout
 * are public (see the public-field list): nobody is signed in yet. Everything else needs the
 * admin's own session (ADMIN_SCOPE), which no API key or end-user token carries.
 */
export function createAdminResolver(admins: AdminService) {
  @Resolver()
  class AdminResolver {
    @Query(() => AdminAuthStatus, { description: 'Whether the first admin still has to be created' })
    async adminAuthStatus(): Promise<AdminAuthStatus> {
      return { setupRequired: await admins.setupRequired() };
    }

    @Mutation(() => AdminLoginResult, { description: "Create the first admin (the installation's operator); only while none exists" })
    async adminSetup(@Args() { username, password }: AdminCredentialsArgs, @Ctx() { identity }: SubgraphContext): Promise<AdminLoginResult> {
      return loginResult(await admins.setup(identity, username.trim(), password));
    }

    @Mutation(() => AdminLoginResult, { description: 'Sign in; with 2FA on, answers a pending token for adminVerifyTwoFactor' })
    async adminLogin(@Args() { username, password }: AdminLoginArgs, @Ctx() { identity }: SubgraphContext): Promise<AdminLoginResult> {
      return loginResult(await admins.login(identity, username.trim(), password));
    }

    @Mutation(() => AdminLoginResult, { description: 'Complete a 2FA sign-in with a TOTP or a recovery code' })
    async adminVerifyTwoFactor(@Args() args: AdminVerifyTwoFactorArgs, @Ctx() { identity }: SubgraphContext): Promise<AdminLoginResult> {
      return loginResult(await admins.verifyLogin(identity, args.pendingToken, args.code, args.isRecovery === true));
    }

    @Mutation(() => MessageResult, { description: "End the caller's admin session, if any (the REST face also clears the cookie)" })
    async adminLogout(@Ctx() { identity }: SubgraphContext): Promise<MessageResult> {
      await admins.logout(identity.adminSessionId);
      return { message: 'Logged out' };
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Query(() => Admin, { description: 'The signed-in admin' })
    adminMe(@Ctx() { identity }: SubgraphContext): Promise<Admin> {
      return admins.byId(requireAdmin(identity).adminId);
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => Admin, { description: "Change the admin's username and/or password (needs the current password)" })
    updateAdminMe(@Arg('input') input: UpdateAdminInput, @Ctx() { identity }: SubgraphContext): Promise<Admin> {
      const { adminId, sessionId } = requireAdmin(identity);
      return admins.update(adminId, sessionId, input);
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => TwoFactorEnrolment, { description: 'Begin 2FA setup: a QR code and recovery codes; confirm with adminTwoFactorVerifySetup' })
    adminTwoFactorSetup(@Ctx() { identity }: SubgraphContext): Promise<TwoFactorEnrolment> {
      return admins.beginTwoFactorSetup(requireAdmin(identity).adminId);
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => TwoFactorStatus, { description: 'Turn 2FA on with a code from the authenticator app' })
    async adminTwoFactorVerifySetup(@Args() { code }: TwoFactorCodeArgs, @Ctx() { identity }: SubgraphContext): Promise<TwoFactorStatus> {
      const { adminId } = requireAdmin(identity);
      await admins.confirmTwoFactorSetup(adminId, code);
      return admins.twoFactorStatus(adminId);
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => TwoFactorStatus, { description: 'Turn 2FA off (needs the password and a current TOTP)' })
    async adminTwoFactorDisable(@Args() { password, code }: DisableTwoFactorArgs, @Ctx() { identity }: SubgraphContext): Promise<TwoFactorStatus> {
      const { adminId } = requireAdmin(identity);
      await admins.disableTwoFactor(adminId, password, code);
      return admins.twoFactorStatus(adminId);
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => RecoveryCodes, { description: 'New recovery codes; the previous ones stop working' })
    async adminRegenerateRecoveryCodes(@Ctx() { identity }: SubgraphContext): Promise<RecoveryCodes> {
      return { recoveryCodes: await admins.regenerateRecoveryCodes(requireAdmin(identity).adminId) };
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Query(() => TwoFactorStatus, { description: 'Whether 2FA is on, and how many recovery codes are left' })
    adminTwoFactorStatus(@Ctx() { identity }: SubgraphContext): Promise<TwoFactorStatus> {
      return admins.twoFactorStatus(requireAdmin(identity).adminId);
    }
  }
  return AdminResolver;
}
