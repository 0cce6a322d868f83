import { defineScopes } from '../../src/federation/access';

/** Scopes of the agents subgraph. */
export const AgentsScopes = defineScopes({
  agentsRead: 'agents:read',
  agentsWrite: 'agents:write',
});
