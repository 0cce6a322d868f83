import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { requireTenant, RequiresScopes, requireUser, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { DomainError } from '../../../src/errors';
import { checkPage } from '../../../src/federation/paging';
import { EndUser } from './end-user.entity';
import type { EndUserService } from './end-user.service';
import { TenancyScopes } from '../tenancy.scopes';

export function createEndUserResolver(users: EndUserService) {
  @Resolver(() => EndUser)
  class EndUserResolver {
    @RequiresScopes(SELF_SCOPE)
    @Query(() => EndUser, { description: 'The signed-in end user' })
    async me(@Ctx() context: SubgraphContext): Promise<EndUser> {
      const { tenantId, userId } = requireUser(context.identity);
      const user = await users.load(context, tenantId, userId);
      if (!user || !user.isActive) throw new DomainError('UNAUTHENTICATED', 'Not authenticated');
      return user;
    }

    @RequiresScopes(TenancyScopes.usersRead)
    @Query(() => [EndUser], { description: "The tenant's end users (secret key with users:read)" })
    endUsers(
      @Arg('first', () => Int, { defaultValue: 25 }) first: number,
      @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<EndUser[]> {
      checkPage(first, offset);
      return users.list(requireTenant(identity), first, offset);
    }

    @RequiresScopes(TenancyScopes.usersRead)
    @Query(() => EndUser, { nullable: true })
    endUser(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<EndUser | null> {
      return users.load(context, requireTenant(context.identity), id);
    }
  }
  return EndUserResolver;
}
