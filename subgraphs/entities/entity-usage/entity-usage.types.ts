import { IsUUID } from 'class-validator';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { MESSAGES } from '../../../src/federation/input-validation';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';

@ObjectType({ description: 'Records of one entity schema of the organization' })
@RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
export class SchemaUsage {
  @Field(() => ID)
  schemaId!: string;

  @Field()
  name!: string;

  @Field()
  slug!: string;

  @Field()
  isActive!: boolean;

  @Field(() => Int)
  recordsCount!: number;
}

@ObjectType({ description: "Custom entity usage of an organization (001 `/v1/api/usage/entity-usage`)" })
@RequiresScopes(EntitiesScopes.entitiesRead, SELF_SCOPE)
export class EntityUsage {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => Int)
  schemasCount!: number;

  @Field(() => Int)
  activeSchemasCount!: number;

  @Field(() => Int)
  recordsCount!: number;

  @Field(() => [SchemaUsage], { description: 'Per schema, by name' })
  schemas!: SchemaUsage[];
}

@ArgsType()
export class EntityUsageArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  organizationId!: string;
}
