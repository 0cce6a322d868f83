import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver, Root, Subscription } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import type { PlatformEvent } from '../../../src/events/types';
import { DomainError, validationError } from '../../../src/errors';
import { EntitiesScopes } from '../entities.scopes';
import { EntityField, EntitySchema } from '../entity-schema/entity-schema.entity';
import { EntityDeleted, EntityPageArgs } from '../entity-schema/entity-schema.resolver';
import type { EntitySchemaService } from '../entity-schema/entity-schema.service';
import type { OrganizationScopes } from '../organization-scope';
import { filtersFromQuery, SEARCH_OPERATORS, type SearchFilter } from '../search/record-search';
import { EntityRecord } from './entity-record.entity';
import { EntityRecordCreated, EntityRecordDeleted, EntityRecordUpdated, type EntityRecordEventPayload } from './entity-record.events';
import type { EntityRecordService } from './entity-record.service';

export const SearchOperator = Object.fromEntries(SEARCH_OPERATORS.map((o) => [o, o])) as Record<(typeof SEARCH_OPERATORS)[number], string>;
registerEnumType(SearchOperator, { name: 'SearchOperator', description: 'Comparison of a record field with a value, typed by the schema' });

@InputType({ description: 'One condition on a record field' })
class RecordFilterInput {
  @Field()
  field!: string;

  @Field(() => SearchOperator, { defaultValue: 'eq' })
  operator!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'A value of the field’s type; a list for in and not_in' })
  value?: unknown;
}

@ObjectType()
@RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
class EntityRecordPage {
  @Field(() => [EntityRecord])
  items!: EntityRecord[];

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  page!: number;

  @Field(() => Int)
  size!: number;
}

@ObjectType({ description: 'A record created, updated or deleted' })
@RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
class RecordChange {
  @Field({ description: 'created, updated or deleted' })
  kind!: string;

  @Field(() => ID)
  recordId!: string;

  @Field(() => ID)
  schemaId!: string;

  @Field(() => ID, { nullable: true, description: 'The end user who made the change' })
  userId!: string | null;

  @Field()
  occurredAt!: Date;
}

const ORGANIZATION = { nullable: true, description: 'The organization (REST: the X-Organization-Id header); none: the tenant’s own' } as const;
const KINDS: Record<string, string> = { [EntityRecordCreated.type]: 'created', [EntityRecordUpdated.type]: 'updated', [EntityRecordDeleted.type]: 'deleted' };

export function createEntityRecordResolvers(records: EntityRecordService, schemas: EntitySchemaService, organizations: OrganizationScopes) {
  @Resolver(() => EntityRecord)
  class EntityRecordResolver {
    @RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
    @Query(() => EntityRecord)
    async entityRecord(@Arg('id', () => ID) id: string, @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null, @Ctx() context: SubgraphContext): Promise<EntityRecord> {
      return records.get(await organizations.resolve(context, organizationId), id);
    }

    @RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
    @Query(() => EntityRecordPage, { description: 'Records filtered on their fields (typed by the schema), ordered, one page and the total' })
    async searchEntityRecords(
      @Args() { page, size }: EntityPageArgs,
      @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null,
      @Arg('schemaId', () => ID, { nullable: true, description: 'Required to filter or order on fields' }) schemaId: string | null,
      @Arg('filters', () => [RecordFilterInput], { nullable: true, description: 'All must hold' }) filters: RecordFilterInput[] | null,
      @Arg('query', () => GraphQLJSONObject, { nullable: true, description: 'The REST face’s filters: {"price": {"operator": "gt", "value": 100}, "category": "books"}' })
      query: Record<string, unknown> | null,
      @Arg('orderBy', { defaultValue: 'created_at', description: 'created_at, updated_at or a field' }) orderBy: string,
      @Arg('orderDir', { defaultValue: 'desc', description: 'asc or desc' }) orderDir: string,
      @Ctx() context: SubgraphContext,
    ): Promise<EntityRecordPage> {
      const scope = await organizations.resolve(context, organizationId);
      const fromQuery = filtersFromQuery(query);
      if (fromQuery.problems.length) throw validationError(fromQuery.problems);
      const all: SearchFilter[] = [...(filters ?? []).map((f) => ({ field: f.field, operator: f.operator, value: f.value })), ...fromQuery.filters];
      const result = await records.search(scope, { schemaId, filters: all, orderBy, orderDir, page, size });
      return { ...result, page, size };
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => EntityRecord, { description: 'data is validated against the schema: 422 lists every failing field' })
    async createEntityRecord(
      @Arg('schemaId', () => ID) schemaId: string,
      @Arg('data', () => GraphQLJSONObject) data: Record<string, unknown>,
      @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null,
      @Ctx() context: SubgraphContext,
    ): Promise<EntityRecord> {
      return records.create(await organizations.resolve(context, organizationId), schemaId, data, context.identity.userId ?? null);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => EntityRecord, { description: "Replaces the data, validated against the schema's current version" })
    async updateEntityRecord(
      @Arg('id', () => ID) id: string,
      @Arg('data', () => GraphQLJSONObject) data: Record<string, unknown>,
      @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null,
      @Ctx() context: SubgraphContext,
    ): Promise<EntityRecord> {
      return records.update(await organizations.resolve(context, organizationId), id, data, context.identity.userId ?? null);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => EntityDeleted)
    async deleteEntityRecord(@Arg('id', () => ID) id: string, @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null, @Ctx() context: SubgraphContext): Promise<EntityDeleted> {
      const deleted = await records.delete(await organizations.resolve(context, organizationId), id, context.identity.userId ?? null);
      return { id: deleted.id, message: 'Entity record deleted' };
    }

    @RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
    @Subscription(() => RecordChange, {
      topics: [EntityRecordCreated.type, EntityRecordUpdated.type, EntityRecordDeleted.type],
      description: "Each record of the schema created, updated or deleted (an end user's: in their organizations)",
      filter: ({ payload, args, context }: { payload: PlatformEvent<EntityRecordEventPayload>; args: { schemaId: string }; context: SubgraphContext }) =>
        payload.payload.schemaId === args.schemaId && !!payload.tenantId && organizations.canSee(context, payload.tenantId, payload.payload.organizationId),
    })
    recordChanged(@Root() event: PlatformEvent<EntityRecordEventPayload>, @Arg('schemaId', () => ID) _schemaId: string): RecordChange {
      const p = event.payload;
      return { kind: KINDS[event.type], recordId: p.recordId, schemaId: p.schemaId, userId: p.userId, occurredAt: new Date(event.createdAt) };
    }

    @FieldResolver(() => EntitySchema, { description: 'The schema the record belongs to' })
    async schema(@Root() record: EntityRecord, @Ctx() context: SubgraphContext): Promise<EntitySchema> {
      const schema = await schemas.load(context, record.tenantId, record.schemaId);
      if (!schema) throw new DomainError('NOT_FOUND', 'Entity schema not found');
      return schema;
    }

    @FieldResolver(() => [EntityField], { description: "The schema's current fields" })
    async fields(@Root() record: EntityRecord, @Ctx() context: SubgraphContext): Promise<EntityField[]> {
      return (await schemas.load(context, record.tenantId, record.schemaId))?.fields ?? [];
    }
  }

  return [EntityRecordResolver] as const;
}
