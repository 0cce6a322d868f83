import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant admins (installation-wide accounts, not rows of one tenant), their sessions, 2FA
 * recovery codes and workspace memberships; workspaces (tenants) gain tier, settings and soft delete.
 */
export class TenantAdmins1764000000500 implements MigrationInterface {
  name = 'TenantAdmins1764000000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenancy.admins (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL,
        password_hash text NOT NULL,
        is_operator boolean NOT NULL DEFAULT false,
        totp_secret text,
        totp_enabled boolean NOT NULL DEFAULT false,
        totp_last_step bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX admins_username_key ON tenancy.admins (lower(username))`);
    // At most one operator: the first admin, made by setup (a race between two setups loses here).
    await q.query(`CREATE UNIQUE INDEX admins_single_operator ON tenancy.admins (is_operator) WHERE is_operator`);
    await q.query(`
      CREATE TABLE tenancy.admin_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        admin_id uuid NOT NULL REFERENCES tenancy.admins(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX admin_sessions_admin ON tenancy.admin_sessions (admin_id)`);
    await q.query(`
      CREATE TABLE tenancy.admin_recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        admin_id uuid NOT NULL REFERENCES tenancy.admins(id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX admin_recovery_codes_admin ON tenancy.admin_recovery_codes (admin_id)`);
    await q.query(`
      CREATE TABLE tenancy.admin_workspaces (
        admin_id uuid NOT NULL REFERENCES tenancy.admins(id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (admin_id, tenant_id)
      )`);
    await q.query(`CREATE INDEX admin_workspaces_tenant ON tenancy.admin_workspaces (tenant_id)`);
    await q.query(`
      CREATE TABLE tenancy.admin_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'admin')),
        token_hash text NOT NULL UNIQUE,
        invited_by uuid NOT NULL REFERENCES tenancy.admins(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      ALTER TABLE tenancy.tenants
        ADD COLUMN tier text NOT NULL DEFAULT 'free',
        ADD COLUMN settings jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN deleted_at timestamptz`);
    // Edge auth resolves an admin session by its token's digest (the router never reads tables),
    // with the admin's role in the workspace named by X-Workspace-ID (null: not a live workspace of theirs).
    await q.query(`
      CREATE FUNCTION tenancy.resolve_admin_session(p_token_hash text, p_workspace_id uuid)
      RETURNS TABLE (session_id uuid, admin_id uuid, workspace_role text)
      LANGUAGE sql STABLE AS $$
        SELECT s.id, s.admin_id,
               (SELECT m.role FROM tenancy.admin_workspaces m JOIN tenancy.tenants t ON t.id = m.tenant_id
                 WHERE m.admin_id = s.admin_id AND m.tenant_id = p_workspace_id AND t.deleted_at IS NULL)
          FROM tenancy.admin_sessions s
         WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > now()
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tenancy.resolve_admin_session(text, uuid)`);
    await q.query(`ALTER TABLE tenancy.tenants DROP COLUMN tier, DROP COLUMN settings, DROP COLUMN deleted_at`);
    for (const table of ['admin_invitations', 'admin_workspaces', 'admin_recovery_codes', 'admin_sessions', 'admins']) {
      await q.query(`DROP TABLE tenancy.${table}`);
    }
  }
}
