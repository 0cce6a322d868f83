import { Matches, ValidateNested } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireTenant, RequiresScopes, SELF_SCOPE, selfOrScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { OptionalUuid } from '../../../src/federation/input-validation';
import { entityReference, type Reference } from '../../../src/federation/entity-reference';
import { EntityFieldInput, EntitySchema } from './entity-schema.entity';
import type { EntitySchemaService } from './entity-schema.service';
import { EntitiesScopes } from '../entities.scopes';

export const EndUser = entityReference('EndUser');

@InputType()
class CreateEntitySchemaInput {
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: 'must be a lowercase identifier' })
  @Field({ description: 'Lowercase identifier, unique in the tenant' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @ValidateNested({ each: true })
  @Field(() => [EntityFieldInput])
  fields!: EntityFieldInput[];

  @OptionalUuid()
  createdByUserId?: string | null;
}

export function createEntitySchemaResolvers(schemas: EntitySchemaService) {
  @Resolver(() => EntitySchema)
  class EntitySchemaResolver {
    @RequiresScopes(EntitiesScopes.entitiesRead)
    @Query(() => [EntitySchema])
    entitySchemas(@Ctx() { identity }: SubgraphContext): Promise<EntitySchema[]> {
      return schemas.list(requireTenant(identity));
    }

    @RequiresScopes(EntitiesScopes.entitiesWrite)
    @Mutation(() => EntitySchema)
    createEntitySchema(@Arg('input') input: CreateEntitySchemaInput, @Ctx() { identity }: SubgraphContext): Promise<EntitySchema> {
      return schemas.create(requireTenant(identity), input);
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
