import { defineScopes } from '../../src/federation/access';

/** Scopes of the billing subgraph. */
export const BillingScopes = defineScopes({
  usageRead: 'usage:read',
  usageWrite: 'usage:write',
});
