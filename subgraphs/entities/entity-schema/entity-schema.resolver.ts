import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireTenant, secretScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { entityReference, type Reference } from '../../../src/federation/entity-reference';
import { EntityField, EntitySchema } from './entity-schema.entity';
import type { EntitySchemaService } from './entity-schema.service';

export const EndUser = entityReference('EndUser');

@InputType()
class CreateEntitySchemaInput {
  @Field({ description: 'Lowercase identifier, unique in the tenant' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [EntityField])
  fields!: EntityField[];

  @Field(() => ID, { nullable: true })
  createdByUserId?: string | null;
}

export function createEntitySchemaResolvers(schemas: EntitySchemaService) {
  @Resolver(() => EntitySchema)
  class EntitySchemaResolver {
    @Authorized(secretScope('entities:read'))
    @Query(() => [EntitySchema])
    entitySchemas(@Ctx() { identity }: SubgraphContext): Promise<EntitySchema[]> {
      return schemas.list(requireTenant(identity));
    }

    @Authorized(secretScope('entities:write'))
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
    @FieldResolver(() => [EntitySchema], { description: 'Entity schemas the end user created (entities)' })
    entitySchemas(@Root() user: Reference, @Ctx() context: SubgraphContext): Promise<EntitySchema[]> {
      const tenantId = context.identity.tenantId;
      return tenantId ? schemas.createdBy(context, tenantId, user.id) : Promise.resolve([]);
    }
  }

  return [EntitySchemaResolver, EndUserSchemasResolver] as const;
}
