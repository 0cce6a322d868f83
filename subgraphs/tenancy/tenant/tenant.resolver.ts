import { Ctx, Query, Resolver } from 'type-graphql';
import { requireTenant, RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { DomainError } from '../../../src/errors';
import { Tenant } from './tenant.entity';
import type { TenantService } from './tenant.service';
import { TenancyScopes } from '../tenancy.scopes';

export function createTenantResolver(tenants: TenantService) {
  @Resolver(() => Tenant)
  class TenantResolver {
    @RequiresScopes(TenancyScopes.workspacesRead, SELF_SCOPE)
    @Query(() => Tenant, { description: 'The tenant of the calling API key' })
    async currentTenant(@Ctx() { identity }: SubgraphContext): Promise<Tenant> {
      const tenant = await tenants.byId(requireTenant(identity));
      if (!tenant) throw new DomainError('NOT_FOUND', 'Tenant not found');
      return tenant;
    }
  }
  return TenantResolver;
}
