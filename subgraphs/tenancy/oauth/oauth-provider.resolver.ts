import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequiresScopes, requireTenant } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { TenancyScopes } from '../tenancy.scopes';
import { OAuthProviderConfig } from './oauth-provider.entity';
import type { OAuthService } from './oauth.service';
import { GoogleSignInInput } from './oauth.types';

/** The tenant's sign-in provider configuration: a workspace setting, managed with a secret key. */
export function createOAuthProviderResolver(oauth: OAuthService) {
  @Resolver(() => OAuthProviderConfig)
  class OAuthProviderResolver {
    @RequiresScopes(TenancyScopes.workspacesRead, TenancyScopes.workspacesWrite)
    @Query(() => [OAuthProviderConfig], { description: "The tenant's sign-in provider configurations (client secrets are never returned)" })
    oauthProviders(@Ctx() { identity }: SubgraphContext): Promise<OAuthProviderConfig[]> {
      return oauth.providerConfigs(requireTenant(identity));
    }

    @RequiresScopes(TenancyScopes.workspacesWrite)
    @Mutation(() => OAuthProviderConfig, { description: 'Set Google sign-in for the tenant (creates or replaces its configuration)' })
    configureGoogleSignIn(@Arg('input') input: GoogleSignInInput, @Ctx() { identity }: SubgraphContext): Promise<OAuthProviderConfig> {
      return oauth.configure(requireTenant(identity), 'google', input);
    }

    @RequiresScopes(TenancyScopes.workspacesRead, TenancyScopes.workspacesWrite)
    @FieldResolver(() => String, { description: 'Register this URL at the provider as the redirect (callback) URI' })
    callbackUrl(@Root() configuration: OAuthProviderConfig): string {
      return oauth.callbackUrl(configuration.provider);
    }
  }
  return OAuthProviderResolver;
}
