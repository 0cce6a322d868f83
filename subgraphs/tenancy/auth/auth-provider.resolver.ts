import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Authenticated } from '../../../src/federation/access';

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

@Resolver()
export class AuthProviderResolver {
  // No OAuth provider can be configured yet (Google sign-in is a later issue): the list is empty.
  @Authenticated()
  @Query(() => AuthProviders, { description: "OAuth providers enabled for the tenant's sign-in page" })
  authProviders(): AuthProviders {
    return { providers: [] };
  }
}
