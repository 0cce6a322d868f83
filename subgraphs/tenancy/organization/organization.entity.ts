import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Policy } from '../../../src/federation/access';
import { OrgPermissions } from '../../../src/federation/organization-access';

/** A team of end users inside a tenant; other subgraphs extend it by id (billing: subscription, usage). */
@ObjectType({ description: 'A team of end users inside a tenant, with members, roles, invitations and departments' })
@Directive('@key(fields: "id")')
@Policy(OrgPermissions.ORG_READ)
@Entity({ name: 'organizations' })
export class Organization {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field({ description: 'URL-friendly identifier, unique within the tenant' })
  @Column('text')
  slug!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'logo_url', nullable: true })
  logoUrl!: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
