import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'json', 'reference'] as const;

@ObjectType({ description: 'One field of an entity schema' })
@InputType('EntityFieldInput')
export class EntityField {
  @Field()
  name!: string;

  @Field({ description: `One of ${FIELD_TYPES.join(', ')}` })
  type!: string;

  @Field({ defaultValue: false })
  required!: boolean;
}

@ObjectType({ description: "A tenant-defined data type (custom data for the tenant's product)" })
@Directive('@key(fields: "id")')
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
