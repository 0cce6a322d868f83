import { Arg, Args, Ctx, Mutation, Resolver } from 'type-graphql';
import { Authenticated, RequiresScopes, requireTenant, requireUser, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import type { AuthService } from './auth.service';
import {
  AuthTokens,
  ChangePasswordArgs,
  ForgotPasswordArgs,
  LoginInput,
  MessageResult,
  RegisterInput,
  RegistrationResult,
  ResendVerificationArgs,
  ResetPasswordArgs,
} from './auth.types';

const message = (text: string): MessageResult => ({ message: text });

export function createAuthResolver(auth: AuthService) {
  @Resolver()
  class AuthResolver {
    @Authenticated()
    @Mutation(() => RegistrationResult, { description: 'Register an end user (3 per hour per IP)' })
    async register(@Arg('input') input: RegisterInput, @Ctx() { identity }: SubgraphContext): Promise<RegistrationResult> {
      const outcome = await auth.register(identity, requireTenant(identity), input);
      return outcome.verificationRequired
        ? { verificationRequired: true, message: outcome.message, tokens: null }
        : { verificationRequired: false, message: null, tokens: outcome.tokens };
    }

    @Authenticated()
    @Mutation(() => AuthTokens, { description: 'Sign in with email and password (10 per 15 minutes per IP)' })
    login(@Arg('input') input: LoginInput, @Ctx() { identity }: SubgraphContext): Promise<AuthTokens> {
      return auth.login(identity, requireTenant(identity), input.email, input.password);
    }

    @Authenticated()
    @Mutation(() => AuthTokens, { description: 'Exchange a refresh token for new tokens; the old one stops working' })
    refreshToken(@Arg('refreshToken') refreshToken: string, @Ctx() { identity }: SubgraphContext): Promise<AuthTokens> {
      return auth.refresh(requireTenant(identity), refreshToken);
    }

    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => MessageResult, { description: "End the caller's session (its refresh tokens stop working)" })
    async logout(@Ctx() { identity }: SubgraphContext): Promise<MessageResult> {
      const user = requireUser(identity);
      await auth.logout(user.tenantId, user.sessionId);
      return message('Successfully logged out');
    }

    @Authenticated()
    @Mutation(() => MessageResult, { description: 'Email a password reset link; answers the same whether or not the email exists' })
    async forgotPassword(@Args() { email }: ForgotPasswordArgs, @Ctx() { identity }: SubgraphContext): Promise<MessageResult> {
      await auth.forgotPassword(identity, requireTenant(identity), email);
      return message('Password reset email sent');
    }

    @Authenticated()
    @Mutation(() => MessageResult)
    async resetPassword(@Args() { token, newPassword }: ResetPasswordArgs, @Ctx() { identity }: SubgraphContext): Promise<MessageResult> {
      await auth.resetPassword(requireTenant(identity), token, newPassword);
      return message('Password reset successfully');
    }

    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => MessageResult, { description: 'Change password (5 per hour per user); other sessions are signed out' })
    async changePassword(@Args() { currentPassword, newPassword }: ChangePasswordArgs, @Ctx() { identity }: SubgraphContext): Promise<MessageResult> {
      const user = requireUser(identity);
      await auth.changePassword(user.tenantId, user.userId, user.sessionId, currentPassword, newPassword);
      return message('Password changed successfully');
    }

    @Authenticated()
    @Mutation(() => MessageResult, { description: "Verify an email with a token of the API key's tenant" })
    async verifyEmail(@Arg('token') token: string, @Ctx() { identity }: SubgraphContext): Promise<MessageResult> {
      await auth.verifyEmail(identity, requireTenant(identity), token);
      return message('Email verified successfully');
    }

    @Mutation(() => MessageResult, { description: 'Verify an email with the token alone, no API key (20 per hour per IP)' })
    async verifyEmailWithToken(@Arg('token') token: string, @Ctx() { identity }: SubgraphContext): Promise<MessageResult> {
      await auth.verifyEmail(identity, undefined, token);
      return message('Email verified successfully');
    }

    @Authenticated()
    @Mutation(() => MessageResult, { description: 'Send a new verification email; answers the same whether or not the email exists' })
    async resendVerification(@Args() { email, returnTo }: ResendVerificationArgs, @Ctx() { identity }: SubgraphContext): Promise<MessageResult> {
      await auth.resendVerification(identity, requireTenant(identity), email, returnTo ?? null);
      return message('Verification email sent');
    }
  }
  return AuthResolver;
}
