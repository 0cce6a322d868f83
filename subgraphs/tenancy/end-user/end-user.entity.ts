import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenancyScopes } from '../tenancy.scopes';

/** Field rule of EndUser: a key with users:read, or the end user themself (the reference resolver checks whose). */
const ReadableByUsersOrSelf = () => RequiresScopes(TenancyScopes.usersRead, SELF_SCOPE);

@ObjectType({ description: "A person who signed up to a tenant's product" })
@Directive('@key(fields: "id")')
@Entity({ name: 'end_users' })
export class EndUser {
  // The id alone is public (see the public-field list); every other field: users:read, or the user themself.
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @ReadableByUsersOrSelf()
  @Field()
  @Column('text')
  email!: string;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash!: string;

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

  @ReadableByUsersOrSelf()
  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @ReadableByUsersOrSelf()
  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
