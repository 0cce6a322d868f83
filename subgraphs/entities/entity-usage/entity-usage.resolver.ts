import { IsUUID } from 'class-validator';
import { Args, ArgsType, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { MESSAGES } from '../../../src/federation/input-validation';
import { EntitiesScopes } from '../entities.scopes';
import type { OrganizationScopes } from '../organization-scope';

@ArgsType()
class EntityUsageArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  organizationId!: string;
}

@ObjectType({ description: 'Records of one entity schema' })
@RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
export class SchemaUsage {
  @Field(() => ID) schemaId!: string;
  @Field() name!: string;
  @Field() slug!: string;
  @Field() isActive!: boolean;
  @Field(() => Int) recordsCount!: number;
}

@ObjectType({ description: "An organization's custom data: how many schemas and records (001 /v1/api/usage/entity-usage)" })
@RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
export class EntityUsage {
  @Field(() => ID) organizationId!: string;
  @Field(() => Int) schemasCount!: number;
  @Field(() => Int) activeSchemasCount!: number;
  @Field(() => Int) recordsCount!: number;
  @Field(() => [SchemaUsage]) schemas!: SchemaUsage[];
}

/** Counts of the organization's schemas and records: one grouped query, tenant and organization scoped. */
export function createEntityUsageResolver(dataSource: DataSource, organizations: OrganizationScopes) {
  @Resolver()
  class EntityUsageResolver {
    @RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
    @Query(() => EntityUsage, { description: "How many entity schemas and records the organization has (members; keys with entities:read)" })
    async entityUsage(@Args() { organizationId }: EntityUsageArgs, @Ctx() context: SubgraphContext): Promise<EntityUsage> {
      const scope = await organizations.resolve(context, organizationId);
      const rows: Array<{ id: string; name: string; slug: string; is_active: boolean; records: number }> = await dataSource.query(
        `SELECT s.id, s.name, s.slug, s.is_active, count(r.id)::int AS records
           FROM entities.entity_schemas s
           LEFT JOIN entities.entity_records r ON r.tenant_id = s.tenant_id AND r.schema_id = s.id
          WHERE s.tenant_id = $1 AND s.organization_id = $2
          GROUP BY s.id ORDER BY s.created_at`,
        [scope.tenantId, scope.organizationId],
      );
      const schemas = rows.map((r) => ({ schemaId: r.id, name: r.name, slug: r.slug, isActive: r.is_active, recordsCount: r.records }));
      return {
        organizationId: scope.organizationId!,
        schemasCount: schemas.length,
        activeSchemasCount: schemas.filter((s) => s.isActive).length,
        recordsCount: schemas.reduce((n, s) => n + s.recordsCount, 0),
        schemas,
      };
    }
  }
  return EntityUsageResolver;
}
