import { defineScopes } from '../../src/federation/access';

/** Scopes of the tenancy subgraph (workspaces, end users, API keys, the dev mailbox). */
export const TenancyScopes = defineScopes({
  workspacesRead: 'workspaces:read',
  usersRead: 'users:read',
  usersWrite: 'users:write',
  apiKeysRead: 'api_keys:read',
  apiKeysWrite: 'api_keys:write',
  mailRead: 'mail:read',
});
