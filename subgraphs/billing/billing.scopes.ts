import { defineScopes } from '../../src/federation/access';

/** Scopes of the billing subgraph. */
export const BillingScopes = defineScopes({
  usageRead: 'usage:read',
  usageWrite: 'usage:write',
  plansRead: 'plans:read',
  plansWrite: 'plans:write',
  // a secret key's billing of any organization or user of its tenant (001's `sk_live_* ONLY` endpoints)
  subscriptionsRead: 'subscriptions:read',
  subscriptionsWrite: 'subscriptions:write',
  // the tenant's own feature limits (000 "Entitlements")
  entitlementsRead: 'entitlements:read',
  entitlementsWrite: 'entitlements:write',
});
