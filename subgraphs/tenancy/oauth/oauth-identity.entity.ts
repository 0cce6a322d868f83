import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { OAuthProviderName } from './oauth-provider.entity';

/** An end user's account at a sign-in provider: (provider, subject) signs in as that user. */
@Entity({ name: 'oauth_identities' })
export class OAuthIdentity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  provider!: OAuthProviderName;

  /** The ID token's `sub`: stable at the provider, unlike the email. */
  @Column('text')
  subject!: string;

  /** The email the provider reported when the link was made (for support, not for matching). */
  @Column('text')
  email!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
