import { IsIn, Matches } from 'class-validator';
import { GraphQLJSON } from 'graphql-scalars';
import { Directive, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';
import { FIELD_NAME, FIELD_TYPES, type FieldDefinition, type FieldType, type FieldValue } from './field-definition';

export { FIELD_TYPES };

@ObjectType({ description: 'One field of an entity schema, with its constraints' })
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
export class EntityField implements FieldDefinition {
  @Field()
  name!: string;

  @Field(() => String, { description: `One of ${FIELD_TYPES.join(', ')}` })
  type!: FieldType;

  @Field()
  required!: boolean;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Value taken when a record leaves the field out' })
  default?: FieldValue;

  @Field(() => Float, { nullable: true })
  min?: number;

  @Field(() => Float, { nullable: true })
  max?: number;

  @Field(() => Int, { nullable: true })
  minLength?: number;

  @Field(() => Int, { nullable: true })
  maxLength?: number;

  @Field(() => String, { nullable: true, description: 'Regular expression (Unicode) text values must match' })
  pattern?: string;

  @Field(() => [String], { nullable: true, description: "An enum's values" })
  values?: string[];
}

/** The input twin of EntityField (access directives are not allowed on input types). */
@InputType()
export class EntityFieldInput {
  @Matches(FIELD_NAME, { message: 'must be an identifier' })
  @Field()
  name!: string;

  @IsIn(FIELD_TYPES, { message: `must be one of ${FIELD_TYPES.join(', ')}` })
  @Field({ description: `One of ${FIELD_TYPES.join(', ')}` })
  type!: string;

  @Field({ defaultValue: false })
  required!: boolean;

  @Field(() => GraphQLJSON, { nullable: true })
  default?: unknown;

  @Field(() => Float, { nullable: true })
  min?: number;

  @Field(() => Float, { nullable: true })
  max?: number;

  @Field(() => Int, { nullable: true })
  minLength?: number;

  @Field(() => Int, { nullable: true })
  maxLength?: number;

  @Field(() => String, { nullable: true })
  pattern?: string;

  @Field(() => [String], { nullable: true })
  values?: string[];
}

@ObjectType({ description: "A data type an organization (or the tenant) defines for its product's custom data" })
@Directive('@key(fields: "id")')
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
@Entity({ name: 'entity_schemas' })
export class EntitySchema {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID, { nullable: true, description: "The organization that owns it; null for the tenant's own schemas" })
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Field()
  @Column('text')
  name!: string;

  @Field({ description: 'Lowercase letters, digits and hyphens; unique in the organization' })
  @Column('text')
  slug!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => [EntityField])
  @Column('jsonb')
  fields!: EntityField[];

  @Field(() => Int, { description: 'Increments each time the field definitions change' })
  @Column('int', { default: 1 })
  version!: number;

  @Field()
  @Column('boolean', { name: 'is_active', default: true })
  isActive!: boolean;

  @Column('uuid', { name: 'created_by_user_id', nullable: true })
  createdByUserId!: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
