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
import { createEntityUsageResolver } from './entity-usage/entity-usage.resolver';
import { EntityUsageService } from './entity-usage/entity-usage.service';
import { OrganizationScopes } from './organization-scope';
import { createDriveHttpRoutes, createDriveResolvers, DRIVE_ENTITIES, DRIVE_EVENTS } from './drive/drive.module';
import { PixelEvent } from './pixel/pixel-event.entity';
import { Pixel } from './pixel/pixel.entity';
import { PIXEL_EVENTS } from './pixel/pixel.events';
import { createPixelResolvers } from './pixel/pixel.resolver';
import { PixelService } from './pixel/pixel.service';
import { SeoIssue } from './seo-report/seo-issue.entity';
import { SeoReport } from './seo-report/seo-report.entity';
import { SEO_REPORT_EVENTS } from './seo-report/seo-report.events';
import { seoReportReference } from './seo-report/seo-report.reference';
import { createSeoReportResolvers } from './seo-report/seo-report.resolver';
import { SeoReportService } from './seo-report/seo-report.service';

export async function createEntitiesSchema(deps: SubgraphDeps) {
  const { dataSource, pubSub, config } = deps;
  const schemas = new EntitySchemaService(dataSource);
  const records = new EntityRecordService(dataSource, schemas);
  // Tenancy owns memberships: an end user's organizations are asked of it once per request.
  const organizations = new OrganizationScopes(rolesFromTenancy(config.subgraphUrls.tenancy, config.internalSecret));
  const seoReports = new SeoReportService(dataSource);
  const pixels = new PixelService(dataSource, { trackRateLimitPerMinute: config.pixelTrackRateLimitPerMinute });
  return buildFederatedSchema({
    resolvers: [
      ...createEntitySchemaResolvers(schemas, organizations),
      ...createEntityRecordResolvers(records, schemas, organizations),
      ...createSeoReportResolvers(seoReports),
      ...createPixelResolvers(pixels),
      ...createDriveResolvers(deps),
      createEntityUsageResolver(new EntityUsageService(dataSource), organizations),
    ],
    orphanedTypes: [EndUser],
    pubSub,
    referenceResolvers: {
      EntitySchema: entitySchemaReference(schemas, organizations),
      EntityRecord: entityRecordReference(records, organizations),
      SeoReport: seoReportReference(seoReports),
    },
  });
}

export const entitiesSubgraph: SubgraphDefinition = {
  name: 'entities',
  entities: [EntitySchema, EntityRecord, SeoReport, SeoIssue, Pixel, PixelEvent, ...DRIVE_ENTITIES],
  createSchema: createEntitiesSchema,
  events: [...ENTITY_SCHEMA_EVENTS, ...ENTITY_RECORD_EVENTS, ...SEO_REPORT_EVENTS, ...PIXEL_EVENTS, ...DRIVE_EVENTS],
  httpRoutes: createDriveHttpRoutes,
};
