import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ADMIN_SCOPE, RequiresScopes } from '../../../src/federation/access';
import { AdminInvitation } from './admin-invitation.entity';

/**
 * A tenant admin: a person who manages workspaces in the dashboard. Installation-wide (not a row
 * of one tenant): an admin belongs to workspaces through memberships.
 */
@ObjectType({ description: 'A tenant admin account (dashboard login)' })
@RequiresScopes(ADMIN_SCOPE)
@Entity({ name: 'admins' })
export class Admin {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column('text')
  username!: string;

  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Field({ description: "The installation's operator: the first admin, made by setup" })
  @Column('boolean', { name: 'is_operator' })
  isOperator!: boolean;

  /** The TOTP secret, encrypted (two-factor.ts); set from 2FA setup on, active once totpEnabled. */
  @Column('text', { name: 'totp_secret', nullable: true })
  totpSecret!: string | null;

  @Field()
  @Column('boolean', { name: 'totp_enabled' })
  totpEnabled!: boolean;

  /** The last TOTP time step accepted: a code is never accepted twice (RFC 6238 §5.2). */
  @Column('bigint', { name: 'totp_last_step', nullable: true })
  totpLastStep!: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'admin_sessions' })
export class AdminSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'admin_id' })
  adminId!: string;

  @Column('text', { name: 'token_hash' })
  tokenHash!: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'admin_recovery_codes' })
export class AdminRecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'admin_id' })
  adminId!: string;

  @Column('text', { name: 'code_hash' })
  codeHash!: string;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type WorkspaceRole = 'owner' | 'admin';

/** An admin's membership of a workspace (a tenant). */
@Entity({ name: 'admin_workspaces' })
export class AdminWorkspace {
  @PrimaryColumn('uuid', { name: 'admin_id' })
  adminId!: string;

  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  role!: WorkspaceRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export const ADMIN_ENTITIES = [Admin, AdminSession, AdminRecoveryCode, AdminWorkspace, AdminInvitation];
