import { subgraphData } from '../../../src/federation/subgraph-call';
import type { Identity } from '../../../src/identity';

const STORAGE_LEFT = 'query storageLeft { entitlementCheck(feature: "storage", quantity: 1) { available } }';

/** Bytes the tenant's plan still allows (null: unlimited), asked of billing, which owns entitlements. */
export type StorageLeft = (caller: Identity, tenantId: string) => Promise<number | null>;

/**
 * Billing answers with its `storage` entitlement (the tier's limit minus what the storage meter
 * counted). Entities asks as an internal service holding only `entitlements:read` for that tenant.
 */
export function storageLeftFromBilling(billingUrl: string, internalSecret: string): StorageLeft {
  return async (caller, tenantId) => {
    const identity: Identity = { requestId: caller.requestId, ip: caller.ip, tenantId, keyType: 'secret', scopes: ['entitlements:read'], service: 'entities' };
    const data = await subgraphData<{ entitlementCheck: { available: number | null } }>('Storage entitlement', billingUrl, internalSecret, identity, { query: STORAGE_LEFT, operationName: 'storageLeft' });
    return data.entitlementCheck.available;
  };
}
