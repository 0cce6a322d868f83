import { Field, ID, ObjectType } from 'type-graphql';
import { RequiresScopes } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenancyScopes } from '../tenancy.scopes';

@ObjectType({ description: 'An API key of the tenant. Only its prefix is ever shown after creation.' })
@RequiresScopes(TenancyScopes.apiKeysRead, TenancyScopes.apiKeysWrite, TenancyScopes.apiKeysDelete)
@Entity({ name: 'api_keys' })
export class ApiKey {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field({ description: 'public (pk_live_) or secret (sk_live_)' })
  @Column('text')
  type!: 'public' | 'secret';

  @Field({ description: 'The first characters of the key, to recognise it' })
  @Column('text')
  prefix!: string;

  @Column('text', { name: 'key_hash', select: false })
  keyHash!: string;

  @Field(() => [String])
  @Column('text', { array: true })
  scopes!: string[];

  @Field(() => [String], { description: 'Origins a public key may be used from ("*" for any)' })
  @Column('text', { name: 'allowed_origins', array: true })
  allowedOrigins!: string[];

  @Field(() => String, { nullable: true, description: 'Rate-limit tier of the key (null: the workspace’s)' })
  @Column('text', { name: 'rate_limit_tier', nullable: true })
  rateLimitTier!: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The key that replaced this one when it was rotated' })
  @Column('uuid', { name: 'replaced_by_id', nullable: true })
  replacedById!: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
