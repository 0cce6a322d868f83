import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createResolveCredentials as withoutRole } from './1764100000800-default-organization-in-credentials';

/**
 * The credential lookup also answers the user's role in their default organization (the same
 * membership row it already joins). The router signs it into the identity of that one request, so
 * another subgraph deciding an organization policy for the default organization (billing's usage
 * check before every model call) needs no call to tenancy: as fresh as asking, one hop less.
 */
export class DefaultOrganizationRoleInCredentials1764100000900 implements MigrationInterface {
  name = 'DefaultOrganizationRoleInCredentials1764100000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tenancy.resolve_credentials(text, uuid)`);
    await q.query(createResolveCredentialsWithRole());
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tenancy.resolve_credentials(text, uuid)`);
    await q.query(withoutRole(true));
  }
}

function createResolveCredentialsWithRole(): string {
  return `
    CREATE FUNCTION tenancy.resolve_credentials(p_key_hash text, p_session_id uuid)
    RETURNS TABLE (key_id uuid, tenant_id uuid, key_type text, scopes text[], allowed_origins text[], session_tenant_id uuid, session_user_id uuid,
                   key_tier text, key_tenant_tier text, session_tenant_tier text, session_default_organization_id uuid, session_default_organization_role text)
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
                          k.rate_limit_tier, kt.tier, st.tier, m.organization_id, m.role
        FROM (SELECT 1) one
        LEFT JOIN tenancy.tenants kt ON kt.id = k.tenant_id
        LEFT JOIN tenancy.sessions s ON s.id = p_session_id AND s.revoked_at IS NULL
        LEFT JOIN tenancy.tenants st ON st.id = s.tenant_id
        LEFT JOIN tenancy.organization_members m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id AND m.is_default AND m.is_active;
    END $$`;
}
