import { AgentsScopes } from './agents/agents.scopes';
import { BillingScopes } from './billing/billing.scopes';
import { EntitiesScopes } from './entities/entities.scopes';
import { TenancyScopes } from './tenancy/tenancy.scopes';

/** Every scope an API key can carry: `*` (all of them) and each domain's own. */
export const API_KEY_SCOPES: readonly string[] = [
  '*',
  ...Object.values(TenancyScopes),
  ...Object.values(BillingScopes),
  ...Object.values(AgentsScopes),
  ...Object.values(EntitiesScopes),
];
