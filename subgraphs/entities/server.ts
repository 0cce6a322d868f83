import { buildFederatedSchema } from '../../src/federation/build-schema';
import type { SubgraphContext } from '../../src/federation/context';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { EntitySchema } from './entity-schema/entity-schema.entity';
import { createEntitySchemaResolvers, EndUser } from './entity-schema/entity-schema.resolver';
import { EntitySchemaService } from './entity-schema/entity-schema.service';

export async function createEntitiesSchema({ dataSource, pubSub }: SubgraphDeps) {
  const schemas = new EntitySchemaService(dataSource);
  return buildFederatedSchema({
    resolvers: [...createEntitySchemaResolvers(schemas)],
    orphanedTypes: [EndUser],
    pubSub,
    referenceResolvers: {
      EntitySchema: {
        __resolveReference: (ref: { id: string }, context: SubgraphContext) =>
          context.identity.tenantId ? schemas.load(context, context.identity.tenantId, ref.id) : null,
      },
    },
  });
}

export const entitiesSubgraph: SubgraphDefinition = {
  name: 'entities',
  entities: [EntitySchema],
  createSchema: createEntitiesSchema,
};
