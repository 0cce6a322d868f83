import { IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE, selfOrScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { entityReference, type Reference } from '../../../src/federation/entity-reference';
import { MAX_PAGE_SIZE } from '../../../src/federation/paging';
import { OptionalUuid } from '../../../src/federation/input-validation';
import { EntitiesScopes } from '../entities.scopes';
import type { OrganizationScopes } from '../organization-scope';
import { EntityFieldInput, EntitySchema } from './entity-schema.entity';
import type { EntitySchemaService } from './entity-schema.service';
import { fieldsDefinitionOf } from './field-definition';

export const EndUser = entityReference('EndUser');

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_MESSAGE = { message: 'must be lowercase letters, digits and single hyphens' };
const DEFAULT_SIZE = 20;

/** `page`/`size` of the entities lists (001_…: size default 20, max 100). */
@ArgsType()
export class EntityPageArgs {
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Field(() => Int, { defaultValue: 1 })
  page!: number;

  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: `must be between 1 and ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `must be between 1 and ${MAX_PAGE_SIZE}` })
  @Field(() => Int, { defaultValue: DEFAULT_SIZE })
  size!: number;
}

@ObjectType()
@RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
class EntitySchemaPage {
  @Field(() => [EntitySchema])
  items!: EntitySchema[];

  @Field(() => Int)
  total!: number;
}

@ObjectType({ description: 'What a delete removed' })
@RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
export class EntityDeleted {
  @Field(() => ID)
  id!: string;

  @Field()
  message!: string;
}

@InputType()
class CreateEntitySchemaInput {
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  @Field({ description: 'Unique in the organization' })
  name!: string;

  @IsOptional()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  @Matches(SLUG, SLUG_MESSAGE)
  @Field(() => String, { nullable: true, description: 'Unique in the organization (default: made from the name)' })
  slug?: string | null;

  @IsOptional()
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  @Field(() => String, { nullable: true })
  description?: string | null;

  @IsOptional()
  @ValidateNested({ each: true })
  @Field(() => [EntityFieldInput], { nullable: true, description: 'The fields as a typed list (or fieldsDefinition)' })
  fields?: EntityFieldInput[] | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The fields as the REST face writes them: {"price": {"type": "float", "min": 0}}' })
  fieldsDefinition?: Record<string, unknown> | null;

  @OptionalUuid({ description: "The end user it is attributed to (a key's call; an end user's call is attributed to them)" })
  createdByUserId?: string | null;
}

@InputType()
class UpdateEntitySchemaInput {
  @IsOptional()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  @Field(() => String, { nullable: true })
  name?: string | null;

  @IsOptional()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  @Matches(SLUG, SLUG_MESSAGE)
  @Field(() => String, { nullable: true })
  slug?: string | null;

  @IsOptional()
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  @Field(() => String, { nullable: true })
  description?: string | null;

  @IsOptional()
  @ValidateNested({ each: true })
  @Field(() => [EntityFieldInput], { nullable: true })
  fields?: EntityFieldInput[] | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'New field definitions: the version increments when they differ' })
  fieldsDefinition?: Record<string, unknown> | null;

  @Field(() => Boolean, { nullable: true, description: 'An inactive schema takes no new records' })
  isActive?: boolean | null;
}

const ORGANIZATION = { nullable: true, description: 'The organization (REST: the X-Organization-Id header); none: the tenant’s own' } as const;

export function createEntitySchemaResolvers(schemas: EntitySchemaService, organizations: OrganizationScopes) {
  @Resolver(() => EntitySchema)
  class EntitySchemaResolver {
    @RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
    @Query(() => EntitySchemaPage, { description: 'Entity schemas of the organization, newest first' })
    async entitySchemas(
      @Args() { page, size }: EntityPageArgs,
      @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null,
      @Ctx() context: SubgraphContext,
    ): Promise<EntitySchemaPage> {
      return schemas.list(await organizations.resolve(context, organizationId), page, size);
    }

    @RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
    @Query(() => EntitySchema)
    async entitySchema(@Arg('id', () => ID) id: string, @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null, @Ctx() context: SubgraphContext): Promise<EntitySchema> {
      return schemas.get(await organizations.resolve(context, organizationId), id);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => EntitySchema, { description: 'Name and slug are unique in the organization (409)' })
    async createEntitySchema(
      @Arg('input') input: CreateEntitySchemaInput,
      @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null,
      @Ctx() context: SubgraphContext,
    ): Promise<EntitySchema> {
      const scope = await organizations.resolve(context, organizationId);
      return schemas.create(scope, { ...input, createdByUserId: context.identity.userId ?? input.createdByUserId });
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => EntitySchema, { description: 'The version increments when the field definitions change; existing records stay readable' })
    async updateEntitySchema(
      @Arg('id', () => ID) id: string,
      @Arg('input') input: UpdateEntitySchemaInput,
      @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null,
      @Ctx() context: SubgraphContext,
    ): Promise<EntitySchema> {
      return schemas.update(await organizations.resolve(context, organizationId), id, input);
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite, SELF_SCOPE)
    @Mutation(() => EntityDeleted, { description: 'Refused (409) while the schema has records, unless force: then they are deleted with it' })
    async deleteEntitySchema(
      @Arg('id', () => ID) id: string,
      @Arg('force', () => Boolean, { defaultValue: false }) force: boolean,
      @Arg('organizationId', () => ID, ORGANIZATION) organizationId: string | null,
      @Ctx() context: SubgraphContext,
    ): Promise<EntityDeleted> {
      const deleted = await schemas.delete(await organizations.resolve(context, organizationId), id, force);
      return { id: deleted.id, message: 'Entity schema deleted' };
    }

    @FieldResolver(() => GraphQLJSONObject, { description: 'The fields as the REST face writes them: {"price": {"type": "float", "min": 0}}' })
    fieldsDefinition(@Root() schema: EntitySchema): Record<string, unknown> {
      return fieldsDefinitionOf(schema.fields);
    }

    @FieldResolver(() => EndUser, { nullable: true, description: 'The end user who created the schema (tenancy)' })
    createdBy(@Root() schema: EntitySchema): Reference | null {
      return schema.createdByUserId ? { id: schema.createdByUserId } : null;
    }
  }

  @Resolver(() => EndUser)
  class EndUserSchemasResolver {
    @RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
    @FieldResolver(() => [EntitySchema], { description: 'Entity schemas the end user created (entities)' })
    entitySchemas(@Root() user: Reference, @Ctx() context: SubgraphContext): Promise<EntitySchema[]> {
      const tenantId = context.identity.tenantId;
      return tenantId && selfOrScope(context.identity, EntitiesScopes.entitiesRead, user.id) ? schemas.createdBy(context, tenantId, user.id) : Promise.resolve([]);
    }
  }

  return [EntitySchemaResolver, EndUserSchemasResolver] as const;
}
