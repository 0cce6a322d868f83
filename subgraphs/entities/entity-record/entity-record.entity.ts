import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { EntitiesScopes } from '../entities.scopes';
import type { FieldValue } from '../entity-schema/field-definition';

@ObjectType({ description: 'A record of an entity schema: its data, validated against the schema' })
@Directive('@key(fields: "id")')
@RequiresScopes(EntitiesScopes.entitiesRead, EntitiesScopes.entitiesWrite, SELF_SCOPE)
@Entity({ name: 'entity_records' })
export class EntityRecord {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Field(() => ID)
  @Column('uuid', { name: 'schema_id' })
  schemaId!: string;

  @Field(() => Int, { description: 'The schema version the data was last validated against' })
  @Column('int', { name: 'schema_version' })
  schemaVersion!: number;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  data!: Record<string, FieldValue>;

  @Field(() => ID, { nullable: true, description: 'The end user who created it' })
  @Column('uuid', { name: 'created_by_user_id', nullable: true })
  createdById!: string | null;

  @Field(() => ID, { nullable: true, description: 'The end user who last updated it' })
  @Column('uuid', { name: 'updated_by_user_id', nullable: true })
  updatedById!: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
