import { buildFederatedSchema } from '../../src/federation/build-schema';
import { rolesFromTenancy } from '../../src/federation/organization-roles-client';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { EntityRecord } from './entity-record/entity-record.entity';
import { ENTITY_RECORD_EVENTS } from './entity-record/entity-record.events';
import { entityRecordReference } from './entity-record/entity-record.reference';
import { createEntityRecordResolvers } from './entity-record/entity-record.resolver';
import { EntityRecordService } from './entity-record/entity-record.service';
import { EntitySchema } from './entity-schema/entity-schema.entity';
import { ENTITY_SCHEMA_EVENTS } from './entity-schema/entity-schema.events';
import { entitySchemaReference } from './entity-schema/entity-schema.reference';
import { createEntitySchemaResolvers, EndUser } from './entity-schema/entity-schema.resolver';
import { EntitySchemaService } from './entity-schema/entity-schema.service';
import { OrganizationScopes } from './organization-scope';
import { createDriveHttpRoutes, createDriveResolvers, DRIVE_ENTITIES, DRIVE_EVENTS } from './drive/drive.module';

export async function createEntitiesSchema(deps: SubgraphDeps) {
  const { dataSource, pubSub, config } = deps;
  const schemas = new EntitySchemaService(dataSource);
  const records = new EntityRecordService(dataSource, schemas);
  // Tenancy owns memberships: an end user's organizations are asked of it once per request.
  const organizations = new OrganizationScopes(rolesFromTenancy(config.subgraphUrls.tenancy, config.internalSecret));
  return buildFederatedSchema({
    resolvers: [...createEntitySchemaResolvers(schemas, organizations), ...createEntityRecordResolvers(records, schemas, organizations), ...createDriveResolvers(deps)],
    orphanedTypes: [EndUser],
    pubSub,
    referenceResolvers: {
      EntitySchema: entitySchemaReference(schemas, organizations),
      EntityRecord: entityRecordReference(records, organizations),
    },
  });
}

export const entitiesSubgraph: SubgraphDefinition = {
  name: 'entities',
  entities: [EntitySchema, EntityRecord, ...DRIVE_ENTITIES],
  createSchema: createEntitiesSchema,
  events: [...ENTITY_SCHEMA_EVENTS, ...ENTITY_RECORD_EVENTS, ...DRIVE_EVENTS],
  httpRoutes: createDriveHttpRoutes,
};
