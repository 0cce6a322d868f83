import { DomainError } from '../../../src/errors';
import type { SubgraphContext } from '../../../src/federation/context';
import { signIdentity } from '../../../src/identity';

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
          const platformIdentity = signIdentity(identity, { query: TENANT_TIER, variables: {} }, internalSecret);
          const response = await fetch(tenancyUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: TENANT_TIER, variables: {}, extensions: { platformIdentity } }),
          });
          const body = (await response.json()) as { data?: { currentTenant: { tier: string } }; errors?: unknown[] };
          if (!body.data) throw new DomainError('INTERNAL', `Tenant tier unavailable: ${JSON.stringify(body.errors)}`);
          return body.data.currentTenant.tier;
        }),
      ),
    );
    return loader.load(tenantId);
  };
}
