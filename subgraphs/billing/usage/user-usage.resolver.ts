import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { DomainError } from '../../../src/errors';
import { requireTenant, RequiresScopes, SELF_SCOPE, selfOrScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { BillingScopes } from '../billing.scopes';
import type { UserUsageService } from './user-usage.service';
import { UserPlanUsage, UserUsageArgs, UserUsageLimits } from './user-usage.types';

/** A user reads their own (001: "User can only access own usage"); a secret key any user of its tenant. */
function ownOrServer(context: SubgraphContext, userId: string): string {
  const tenantId = requireTenant(context.identity);
  if (!selfOrScope(context.identity, BillingScopes.subscriptionsRead, userId) && !selfOrScope(context.identity, BillingScopes.subscriptionsWrite, userId)) {
    throw new DomainError('FORBIDDEN', "You can only access your own usage");
  }
  return tenantId;
}

export function createUserUsageResolver(users: UserUsageService) {
  @Resolver()
  class UserUsageResolver {
    @RequiresScopes(SELF_SCOPE, BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite)
    @Query(() => UserPlanUsage, { description: "A user's usage on their own plan this period (404 without a live plan of their own)" })
    userPlanUsage(@Args() { userId }: UserUsageArgs, @Ctx() context: SubgraphContext) {
      return users.usage(ownOrServer(context, userId), userId);
    }

    @RequiresScopes(SELF_SCOPE, BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite)
    @Query(() => UserUsageLimits, { description: "The limits of a user's own plan and this period's use of them" })
    userUsageLimits(@Args() { userId }: UserUsageArgs, @Ctx() context: SubgraphContext) {
      return users.limits(ownOrServer(context, userId), userId);
    }
  }
  return UserUsageResolver;
}
