import type { SubgraphContext } from '../../../src/federation/context';
import { subgraphData } from '../../../src/federation/subgraph-call';

const TENANT_TIER = '{ currentTenant { tier } }';

/**
 * The caller's tenant's tier, read from tenancy (which owns it) once per request: billing asks
 * as an internal service holding only `workspaces:read` for that tenant, so any caller of an
 * entitlements field gets its own tenant's tier and nothing more.
 */
export function tierFromTenancy(tenancyUrl: string, internalSecret: string) {
  return (context: SubgraphContext, tenantId: string): Promise<string> => {
    const loader = context.loader<string, string>('tenant-tier-from-tenancy', (tenantIds) =>
      Promise.all(
        tenantIds.map(async (id) => {
          const identity = { requestId: context.identity.requestId, ip: context.identity.ip, tenantId: id, keyType: 'secret' as const, scopes: ['workspaces:read'], service: 'billing' };
          return (await subgraphData<{ currentTenant: { tier: string } }>('Tenant tier', tenancyUrl, internalSecret, identity, { query: TENANT_TIER })).currentTenant.tier;
        }),
      ),
    );
    return loader.load(tenantId);
  };
}
