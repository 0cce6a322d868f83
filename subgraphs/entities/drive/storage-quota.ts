import { DomainError } from '../../../src/errors';
import { signIdentity, type Identity } from '../../../src/identity';

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
    const operation = { query: STORAGE_LEFT, operationName: 'storageLeft', variables: {} };
    const platformIdentity = signIdentity(identity, operation, internalSecret);
    const response = await fetch(billingUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...operation, extensions: { platformIdentity } }),
    });
    const body = (await response.json()) as { data?: { entitlementCheck: { available: number | null } }; errors?: unknown[] };
    if (!body.data) throw new DomainError('INTERNAL', `Storage entitlement unavailable: ${JSON.stringify(body.errors)}`);
    return body.data.entitlementCheck.available;
  };
}
