import { IsIn, Matches } from 'class-validator';
import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { EntitiesScopes } from '../entities.scopes';

export const FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'json', 'reference'] as const;

@ObjectType({ description: 'One field of an entity schema' })
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
export class EntityField {
  @Field()
  name!: string;

  @Field({ description: `One of ${FIELD_TYPES.join(', ')}` })
  type!: string;

  @Field()
  required!: boolean;
}

/** The input twin of EntityField (access directives are not allowed on input types). */
@InputType()
export class EntityFieldInput {
  @Matches(/^[a-z][a-zA-Z0-9_]{0,62}$/, { message: 'must be an identifier' })
  @Field()
  name!: string;

  @IsIn(FIELD_TYPES, { message: `must be one of ${FIELD_TYPES.join(', ')}` })
  @Field({ description: `One of ${FIELD_TYPES.join(', ')}` })
  type!: string;

  @Field({ defaultValue: false })
  required!: boolean;
}

@ObjectType({ description: "A tenant-defined data type (custom data for the tenant's product)" })
@Directive('@key(fields: "id")')
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
@Entity({ name: 'entity_schemas' })
export class EntitySchema {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => [EntityField])
  @Column('jsonb')
  fields!: EntityField[];

  @Column('uuid', { name: 'created_by_user_id', nullable: true })
  createdByUserId!: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
