import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { requireTenant } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { DomainError } from '../../../src/errors';
import { Tenant } from './tenant.entity';
import type { TenantService } from './tenant.service';

export function createTenantResolver(tenants: TenantService) {
  @Resolver(() => Tenant)
  class TenantResolver {
    @Authorized()
    @Query(() => Tenant, { description: 'The tenant of the calling API key' })
    async currentTenant(@Ctx() { identity }: SubgraphContext): Promise<Tenant> {
      const tenant = await tenants.byId(requireTenant(identity));
      if (!tenant) throw new DomainError('NOT_FOUND', 'Tenant not found');
      return tenant;
    }
  }
  return TenantResolver;
}
