import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Policy } from '../../../src/federation/access';
import { OrgPermissions, type OrgRole } from '../../../src/federation/organization-access';

export type InvitationStatus = 'pending' | 'accepted' | 'rejected' | 'cancelled' | 'expired';

/** An invitation by email into an organization; its token (stored as a hash) works once, until it expires. */
@ObjectType({ description: 'An invitation into an organization, as its managers see it' })
@Policy(OrgPermissions.MEMBERS_MANAGE)
@Entity({ name: 'organization_invitations' })
export class Invitation {
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
  email!: string;

  @Field(() => String)
  @Column('text')
  role!: OrgRole;

  @Field(() => String, { description: 'pending, accepted, rejected, cancelled or expired' })
  @Column('text')
  status!: InvitationStatus;

  @Column('text', { name: 'token_hash' })
  tokenHash!: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'invited_by_user_id', nullable: true })
  invitedByUserId!: string | null;

  @Field()
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'responded_at', nullable: true })
  respondedAt!: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
