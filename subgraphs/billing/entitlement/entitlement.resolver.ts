import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { BillingScopes } from '../billing.scopes';
import type { Feature } from './entitlement-tiers';
import type { EntitlementService } from './entitlement.service';
import { EntitlementCheck, EntitlementCheckArgs, EntitlementSummary, EntitlementUsage, EntitlementUsageArgs } from './entitlement.types';

type TierOf = (context: SubgraphContext, tenantId: string) => Promise<string>;

export function createEntitlementResolver(entitlements: EntitlementService, tierOf: TierOf) {
  @Resolver()
  class EntitlementResolver {
    @RequiresScopes(BillingScopes.entitlementsRead)
    @Query(() => EntitlementCheck, { description: "Whether the tenant's tier allows `quantity` more of a feature (no side effect)" })
    async entitlementCheck(@Args() { feature, quantity }: EntitlementCheckArgs, @Ctx() context: SubgraphContext): Promise<EntitlementCheck> {
      const tenantId = requireTenant(context.identity);
      return entitlements.check(tenantId, await tierOf(context, tenantId), feature as Feature, quantity);
    }

    @RequiresScopes(BillingScopes.entitlementsRead)
    @Query(() => EntitlementSummary, { description: "The tenant's usage of every feature against its tier" })
    async entitlementSummary(@Ctx() context: SubgraphContext): Promise<EntitlementSummary> {
      const tenantId = requireTenant(context.identity);
      return entitlements.summary(tenantId, await tierOf(context, tenantId));
    }

    @RequiresScopes(BillingScopes.entitlementsWrite)
    @Mutation(() => EntitlementUsage, { description: "Records usage of a feature; FEATURE_LIMIT_REACHED (403) past the tier's limit" })
    async recordEntitlementUsage(@Args() { feature, quantity }: EntitlementUsageArgs, @Ctx() context: SubgraphContext): Promise<EntitlementUsage> {
      const tenantId = requireTenant(context.identity);
      return entitlements.record(tenantId, await tierOf(context, tenantId), feature as Feature, quantity);
    }
  }
  return EntitlementResolver;
}
