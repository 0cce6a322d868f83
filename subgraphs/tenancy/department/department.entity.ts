import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Authenticated } from '../../../src/federation/access';

/**
 * A part of an organization; each organization has a default one from its creation. Its entry
 * points check membership (`Organization.departments` by role; `department` by the user named),
 * so the type itself only needs a tenant caller: the documented lookup works with a public key.
 */
@ObjectType({ description: 'A department of an organization' })
@Authenticated()
@Entity({ name: 'departments' })
export class Department {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field()
  @Column('boolean', { name: 'is_default' })
  isDefault!: boolean;

  @Field()
  @Column('boolean', { name: 'is_active' })
  isActive!: boolean;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  settings!: Record<string, unknown>;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
