import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-in providers per tenant (Google by OpenID Connect), identity links and started sign-ins. */
export class OAuthSignIn1764000000300 implements MigrationInterface {
  name = 'OAuthSignIn1764000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenancy.oauth_providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        provider text NOT NULL,
        issuer text NOT NULL,
        client_id text NOT NULL,
        client_secret_encrypted text NOT NULL,
        redirect_uris text[] NOT NULL DEFAULT '{}',
        is_enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT oauth_providers_tenant_provider_key UNIQUE (tenant_id, provider)
      )`);
    await q.query(`
      CREATE TABLE tenancy.oauth_identities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES tenancy.end_users(id) ON DELETE CASCADE,
        provider text NOT NULL,
        subject text NOT NULL,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT oauth_identities_subject_key UNIQUE (tenant_id, provider, subject)
      )`);
    await q.query(`CREATE INDEX oauth_identities_user_idx ON tenancy.oauth_identities (tenant_id, user_id)`);
    await q.query(`
      CREATE TABLE tenancy.oauth_sign_in_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        provider text NOT NULL,
        redirect_uri text NOT NULL,
        code_verifier text NOT NULL,
        nonce text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX oauth_sign_in_attempts_expiry_idx ON tenancy.oauth_sign_in_attempts (tenant_id, expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenancy.oauth_sign_in_attempts`);
    await q.query(`DROP TABLE tenancy.oauth_identities`);
    await q.query(`DROP TABLE tenancy.oauth_providers`);
  }
}
