import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenancyScopes } from '../tenancy.scopes';
import { EndUserSettings, type StoredSettings } from './end-user-settings';

/**
 * Field rule of EndUser: a key with users:read (or users:write, which answers with the user it
 * wrote), or the end user themself (resolvers and the reference resolver check whose).
 */
export const ReadableByUsersOrSelf = () => RequiresScopes(TenancyScopes.usersRead, TenancyScopes.usersWrite, SELF_SCOPE);

@ObjectType({ description: "A person who signed up to a tenant's product" })
@Directive('@key(fields: "id")')
@Entity({ name: 'end_users' })
export class EndUser {
  // The id alone is public (see the public-field list); every other field: ReadableByUsersOrSelf.
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ReadableByUsersOrSelf()
  @Field(() => ID)
  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  /** The tenant's own identifier of the user (001_… `sub`); null for users who signed up themselves. */
  @Column('text', { name: 'sub', nullable: true })
  subject!: string | null;

  @ReadableByUsersOrSelf()
  @Field({ name: 'sub', description: "The tenant's identifier of the user (its id when the tenant gave none)" })
  externalId(): string {
    return this.subject ?? this.id;
  }

  @ReadableByUsersOrSelf()
  @Field({ description: "A label the tenant manages (e.g. pending, active); signing in depends on isActive" })
  @Column('text', { default: 'active' })
  status!: string;

  @ReadableByUsersOrSelf()
  @Field()
  @Column('text')
  email!: string;

  /** Null for a user created by the tenant, until they choose one (reset password). */
  @Column('text', { name: 'password_hash', select: false, nullable: true })
  passwordHash!: string | null;

  @ReadableByUsersOrSelf()
  @Field(() => String, { nullable: true })
  @Column('text', { name: 'display_name', nullable: true })
  displayName!: string | null;

  @ReadableByUsersOrSelf()
  @Field(() => String, { nullable: true })
  @Column('text', { name: 'avatar_url', nullable: true })
  avatarUrl!: string | null;

  @ReadableByUsersOrSelf()
  @Field()
  @Column('text')
  locale!: string;

  @ReadableByUsersOrSelf()
  @Field()
  @Column('boolean', { name: 'is_active' })
  isActive!: boolean;

  @Column('timestamptz', { name: 'email_verified_at', nullable: true })
  emailVerifiedAt!: Date | null;

  @ReadableByUsersOrSelf()
  @Field()
  emailVerified(): boolean {
    return this.emailVerifiedAt !== null;
  }

  @Column('jsonb', { name: 'settings', default: () => `'{}'` })
  storedSettings!: StoredSettings;

  @ReadableByUsersOrSelf()
  @Field(() => EndUserSettings)
  settings(): EndUserSettings {
    return EndUserSettings.from(this.storedSettings);
  }

  /** Soft deletion: the row stays (events, history), the user reads as not found and cannot sign in. */
  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;

  @ReadableByUsersOrSelf()
  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ReadableByUsersOrSelf()
  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
