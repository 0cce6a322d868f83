import { defineScopes } from '../../src/federation/access';
import { ORGANIZATION_KEY_SCOPES } from '../../src/federation/organization-access';

/** Scopes of the tenancy subgraph (workspaces, end users, API keys, the dev mailbox). */
export const TenancyScopes = defineScopes({
  workspacesRead: 'workspaces:read',
  workspacesWrite: 'workspaces:write',
  workspacesDelete: 'workspaces:delete',
  usersRead: 'users:read',
  usersWrite: 'users:write',
  apiKeysRead: 'api-keys:read',
  apiKeysWrite: 'api-keys:write',
  apiKeysDelete: 'api-keys:delete',
  mailRead: 'mail:read',
  webhooksRead: 'webhooks:read',
  webhooksWrite: 'webhooks:write',
  webhooksDelete: 'webhooks:delete',
  // A secret key with these acts as the tenant's server on every organization (organization-access.ts).
  organizationsRead: ORGANIZATION_KEY_SCOPES.read,
  organizationsWrite: ORGANIZATION_KEY_SCOPES.write,
});
