import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OAuthProviderName } from './oauth-provider.entity';

/**
 * One started sign-in, referenced by its signed state: it keeps the PKCE verifier and the nonce
 * on the server (the state travels through the browser and the provider) and is used once.
 */
@Entity({ name: 'oauth_sign_in_attempts' })
export class OAuthSignInAttempt {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('text')
  provider!: OAuthProviderName;

  @Column('text', { name: 'redirect_uri' })
  redirectUri!: string;

  @Column('text', { name: 'code_verifier' })
  codeVerifier!: string;

  @Column('text')
  nonce!: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
