import { defineScopes } from '../../src/federation/access';

/** Scopes of the entities subgraph. */
export const EntitiesScopes = defineScopes({
  entitiesRead: 'entities:read',
  entitiesWrite: 'entities:write',
  // 000_… "SEO Reports": submit reports, read their issues.
  seoRead: 'seo:read',
  seoWrite: 'seo:write',
  // The workspace's tracking pixel: its settings and the events it collected (tracking itself needs none).
  pixelRead: 'pixel:read',
  pixelWrite: 'pixel:write',
});
