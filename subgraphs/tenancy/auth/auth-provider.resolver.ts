import { Args, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Authenticated, requireTenant } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import type { OAuthService } from '../oauth/oauth.service';
import { AuthorizationUrl, GoogleAuthorizationUrlArgs, GoogleCallbackArgs, SignInRedirect } from '../oauth/oauth.types';

@ObjectType()
@Authenticated()
class AuthProvider {
  @Field({ description: 'Provider id, e.g. google' })
  provider!: string;

  @Field({ description: 'Display name' })
  name!: string;
}

@ObjectType()
@Authenticated()
class AuthProviders {
  @Field(() => [AuthProvider])
  providers!: AuthProvider[];
}

/** Sign-in with the tenant's OAuth providers (the end-user side; configuration is oauth/). */
export function createAuthProviderResolver(oauth: OAuthService) {
  @Resolver()
  class AuthProviderResolver {
    @Authenticated()
    @Query(() => AuthProviders, { description: "OAuth providers enabled for the tenant's sign-in page" })
    async authProviders(@Ctx() { identity }: SubgraphContext): Promise<AuthProviders> {
      return { providers: await oauth.enabledProviders(requireTenant(identity)) };
    }

    // A mutation: it starts a sign-in (a server-side PKCE verifier and nonce, used once).
    @Authenticated()
    @Mutation(() => AuthorizationUrl, { description: "Start Google sign-in: the URL of Google's sign-in page" })
    async startGoogleSignIn(@Args() { redirectUri }: GoogleAuthorizationUrlArgs, @Ctx() { identity }: SubgraphContext): Promise<AuthorizationUrl> {
      return { authorizationUrl: await oauth.authorizationUrl(identity, requireTenant(identity), 'google', redirectUri) };
    }

    // Public: Google's redirect carries no key; the signed state names the tenant.
    @Mutation(() => SignInRedirect, { description: "Complete Google sign-in (Google's redirect): where to send the browser" })
    async completeGoogleSignIn(@Args() args: GoogleCallbackArgs): Promise<SignInRedirect> {
      return { location: await oauth.completeSignIn('google', args) };
    }
  }
  return AuthProviderResolver;
}
