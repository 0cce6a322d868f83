import { defineScopes } from '../../src/federation/access';

/** Scopes of the entities subgraph. */
export const EntitiesScopes = defineScopes({
  entitiesRead: 'entities:read',
  entitiesWrite: 'entities:write',
});
