import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Policy } from '../../../src/federation/access';
import { OrgPermissions, type OrgRole } from '../../../src/federation/organization-access';

/** An end user's place in an organization: their role, whether active, whether it is their default. */
@ObjectType('OrganizationMember', { description: 'A member of an organization' })
@Policy(OrgPermissions.MEMBERS_READ)
@Entity({ name: 'organization_members' })
export class Membership {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'organization_id' })
  organizationId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Field(() => String, { description: 'owner, admin, member or developer' })
  @Column('text')
  role!: OrgRole;

  @Field()
  @Column('boolean', { name: 'is_active' })
  isActive!: boolean;

  @Column('boolean', { name: 'is_default' })
  isDefault!: boolean;

  @Field()
  @Column('timestamptz', { name: 'joined_at', default: () => 'now()' })
  joinedAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
