import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The router's credential lookups also answer the caller's tiers (the workspace's and the key's
 * own `rate_limit_tier`), so that rate limits by tier cost no extra round trip per request.
 * A function's result columns cannot change in place: each is dropped and created again.
 */
export class TierInCredentials1764100000300 implements MigrationInterface {
  name = 'TierInCredentials1764100000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tenancy.resolve_credentials(text, uuid)`);
    await q.query(`
      CREATE FUNCTION tenancy.resolve_credentials(p_key_hash text, p_session_id uuid)
      RETURNS TABLE (key_id uuid, tenant_id uuid, key_type text, scopes text[], allowed_origins text[], session_tenant_id uuid, session_user_id uuid,
                     key_tier text, key_tenant_tier text, session_tenant_tier text)
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
        RETURN QUERY SELECT k.id, k.tenant_id, k.type, k.scopes, k.allowed_origins, s.tenant_id, s.user_id,
                            k.rate_limit_tier, kt.tier, st.tier
          FROM (SELECT 1) one
          LEFT JOIN tenancy.tenants kt ON kt.id = k.tenant_id
          LEFT JOIN tenancy.sessions s ON s.id = p_session_id AND s.revoked_at IS NULL
          LEFT JOIN tenancy.tenants st ON st.id = s.tenant_id;
      END $$`);
    await q.query(`DROP FUNCTION tenancy.resolve_admin_session(text, uuid)`);
    await q.query(`
      CREATE FUNCTION tenancy.resolve_admin_session(p_token_hash text, p_workspace_id uuid)
      RETURNS TABLE (session_id uuid, admin_id uuid, workspace_role text, workspace_tier text)
      LANGUAGE sql STABLE AS $$
        SELECT s.id, s.admin_id, w.role, w.tier
          FROM tenancy.admin_sessions s
          LEFT JOIN LATERAL (
            SELECT m.role, t.tier FROM tenancy.admin_workspaces m JOIN tenancy.tenants t ON t.id = m.tenant_id
             WHERE m.admin_id = s.admin_id AND m.tenant_id = p_workspace_id AND t.deleted_at IS NULL
          ) w ON true
         WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > now()
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tenancy.resolve_admin_session(text, uuid)`);
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
    await q.query(`DROP FUNCTION tenancy.resolve_credentials(text, uuid)`);
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
}
