import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ADMIN_SCOPE, RequiresScopes } from '../../../src/federation/access';
import type { WorkspaceRole } from './admin.entity';

/** An invitation for someone to administer a workspace: emailed as a single-use token. */
@ObjectType({ description: 'An invitation to become an admin of a workspace' })
@RequiresScopes(ADMIN_SCOPE)
@Entity({ name: 'admin_invitations' })
export class AdminInvitation {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'tenant_id' })
  workspaceId!: string;

  @Field()
  @Column('text')
  email!: string;

  @Field(() => String, { description: 'owner or admin' })
  @Column('text')
  role!: WorkspaceRole;

  @Column('text', { name: 'token_hash' })
  tokenHash!: string;

  @Column('uuid', { name: 'invited_by' })
  invitedBy!: string;

  @Field()
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt!: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** An admin of a workspace, as its other admins see them. */
@ObjectType()
@RequiresScopes(ADMIN_SCOPE)
export class WorkspaceAdmin {
  @Field(() => ID)
  adminId!: string;

  @Field()
  username!: string;

  @Field({ description: 'owner or admin' })
  role!: string;

  @Field({ description: 'When the admin joined the workspace' })
  createdAt!: Date;
}
