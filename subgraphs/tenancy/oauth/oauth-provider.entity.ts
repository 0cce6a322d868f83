import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes } from '../../../src/federation/access';
import { TenancyScopes } from '../tenancy.scopes';

/** The sign-in providers a tenant can configure, with their display names. */
export const OAUTH_PROVIDERS = { google: 'Google' } as const;
export type OAuthProviderName = keyof typeof OAUTH_PROVIDERS;

/**
 * A tenant's configuration of one OpenID Connect sign-in provider. The client secret is stored
 * encrypted (secret-box.ts) and has no GraphQL field: it is write-only.
 */
@ObjectType('OAuthProviderConfig', { description: "A tenant's sign-in provider configuration (the client secret is write-only)" })
@RequiresScopes(TenancyScopes.workspacesRead, TenancyScopes.workspacesWrite)
@Entity({ name: 'oauth_providers' })
export class OAuthProviderConfig {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => String, { description: 'Provider id, e.g. google' })
  @Column('text')
  provider!: OAuthProviderName;

  @Field({ description: "OpenID Connect issuer; its /.well-known/openid-configuration is read for the endpoints and keys" })
  @Column('text')
  issuer!: string;

  @Field()
  @Column('text', { name: 'client_id' })
  clientId!: string;

  @Column('text', { name: 'client_secret_encrypted', select: false })
  clientSecretEncrypted!: string;

  @Field(() => [String], { description: 'Frontend URLs the sign-in may return to (exact match)' })
  @Column('text', { name: 'redirect_uris', array: true })
  redirectUris!: string[];

  @Field({ description: 'Only enabled providers are listed and usable' })
  @Column('boolean', { name: 'is_enabled' })
  isEnabled!: boolean;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
