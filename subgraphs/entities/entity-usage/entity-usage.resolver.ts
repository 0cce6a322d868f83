import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { EntitiesScopes } from '../entities.scopes';
import type { OrganizationScopes } from '../organization-scope';
import type { EntityUsageService } from './entity-usage.service';
import { EntityUsage, EntityUsageArgs } from './entity-usage.types';

export function createEntityUsageResolver(usage: EntityUsageService, organizations: OrganizationScopes) {
  @Resolver()
  class EntityUsageResolver {
    @RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
    @Query(() => EntityUsage, { description: "How many schemas and records the organization has (members, or the tenant's server)" })
    async entityUsage(@Args() { organizationId }: EntityUsageArgs, @Ctx() context: SubgraphContext): Promise<EntityUsage> {
      const scope = await organizations.resolve(context, organizationId);
      return usage.usage({ ...scope, organizationId: scope.organizationId! });
    }
  }
  return EntityUsageResolver;
}
