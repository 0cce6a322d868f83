import { buildFederatedSchema } from '../../src/federation/build-schema';
import { entitySchemaReference } from './entity-schema/entity-schema.reference';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { EntitySchema } from './entity-schema/entity-schema.entity';
import { createEntitySchemaResolvers, EndUser } from './entity-schema/entity-schema.resolver';
import { EntitySchemaService } from './entity-schema/entity-schema.service';
import { ENTITY_SCHEMA_EVENTS } from './entity-schema/entity-schema.events';

export async function createEntitiesSchema({ dataSource, pubSub }: SubgraphDeps) {
  const schemas = new EntitySchemaService(dataSource);
  return buildFederatedSchema({
    resolvers: [...createEntitySchemaResolvers(schemas)],
    orphanedTypes: [EndUser],
    pubSub,
    referenceResolvers: { EntitySchema: entitySchemaReference(schemas) },
  });
}

export const entitiesSubgraph: SubgraphDefinition = {
  name: 'entities',
  entities: [EntitySchema],
  createSchema: createEntitiesSchema,
  events: ENTITY_SCHEMA_EVENTS,
};
