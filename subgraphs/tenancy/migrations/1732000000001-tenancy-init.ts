import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TenancyInit1732000000001 implements MigrationInterface {
  name = 'TenancyInit1732000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenancy.tenants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL UNIQUE,
        require_email_verification boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tenancy.api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        type text NOT NULL CHECK (type IN ('public', 'secret')),
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL DEFAULT '{}',
        allowed_origins text[] NOT NULL DEFAULT '{}',
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        replaced_by_id uuid REFERENCES tenancy.api_keys(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX api_keys_tenant_idx ON tenancy.api_keys (tenant_id, created_at)`);
    await q.query(`
      CREATE TABLE tenancy.end_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        email text NOT NULL,
        password_hash text NOT NULL,
        display_name text,
        avatar_url text,
        locale text NOT NULL DEFAULT 'en',
        is_active boolean NOT NULL DEFAULT true,
        email_verified_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT end_users_tenant_email_key UNIQUE (tenant_id, email)
      )`);
    await q.query(`
      CREATE TABLE tenancy.sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES tenancy.end_users(id) ON DELETE CASCADE,
        revoked_at timestamptz,
        revoked_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sessions_user_idx ON tenancy.sessions (tenant_id, user_id)`);
    await q.query(`
      CREATE TABLE tenancy.refresh_tokens (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        session_id uuid NOT NULL REFERENCES tenancy.sessions(id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_session_idx ON tenancy.refresh_tokens (session_id)`);
    await q.query(`
      CREATE TABLE tenancy.user_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES tenancy.end_users(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tenancy.mail_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        to_address text NOT NULL,
        subject text NOT NULL,
        text_body text NOT NULL,
        kind text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX mail_messages_tenant_idx ON tenancy.mail_messages (tenant_id, created_at DESC)`);
    // The router's edge auth calls this function (tenancy's published interface) instead of
    // reading tenancy tables: one round trip resolves the key and the end user's session.
    await q.query(`
      CREATE FUNCTION tenancy.resolve_credentials(p_key_hash text, p_session_id uuid)
      RETURNS TABLE (key_id uuid, tenant_id uuid, key_type text, scopes text[], allowed_origins text[], session_tenant_id uuid, session_user_id uuid)
      LANGUAGE plpgsql AS $$
      DECLARE k tenancy.api_keys;
      BEGIN
        IF p_key_hash IS NOT NULL THEN
          SELECT * INTO k FROM tenancy.api_keys a
           WHERE a.key_hash = p_key_hash AND a.revoked_at IS NULL AND (a.expires_at IS NULL OR a.expires_at > now());
          IF k.id IS NOT NULL AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '60 seconds') THEN
            UPDATE tenancy.api_keys SET last_used_at = now() WHERE id = k.id;
          END IF;
        END IF;
        RETURN QUERY SELECT k.id, k.tenant_id, k.type, k.scopes, k.allowed_origins, s.tenant_id, s.user_id
          FROM (SELECT 1) one
          LEFT JOIN tenancy.sessions s ON s.id = p_session_id AND s.revoked_at IS NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tenancy.resolve_credentials(text, uuid)`);
    for (const table of ['mail_messages', 'user_tokens', 'refresh_tokens', 'sessions', 'end_users', 'api_keys', 'tenants']) {
      await q.query(`DROP TABLE tenancy.${table}`);
    }
  }
}
