import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The router's credential lookup also answers the signed-in user's default organization (active
 * membership marked default), carried in the identity: agents bill a chat or a completion to it
 * without asking tenancy on every model call. Same lookup, one more indexed join.
 */
export class DefaultOrganizationInCredentials1764100000800 implements MigrationInterface {
  name = 'DefaultOrganizationInCredentials1764100000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tenancy.resolve_credentials(text, uuid)`);
    await q.query(createResolveCredentials(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tenancy.resolve_credentials(text, uuid)`);
    await q.query(createResolveCredentials(false));
  }
}

/** The lookup as this migration leaves it (also what the next one restores on its way down). */
export function createResolveCredentials(withDefaultOrganization: boolean): string {
  return `
    CREATE FUNCTION tenancy.resolve_credentials(p_key_hash text, p_session_id uuid)
    RETURNS TABLE (key_id uuid, tenant_id uuid, key_type text, scopes text[], allowed_origins text[], session_tenant_id uuid, session_user_id uuid,
                   key_tier text, key_tenant_tier text, session_tenant_tier text${withDefaultOrganization ? ', session_default_organization_id uuid' : ''})
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
                          k.rate_limit_tier, kt.tier, st.tier${withDefaultOrganization ? ', m.organization_id' : ''}
        FROM (SELECT 1) one
        LEFT JOIN tenancy.tenants kt ON kt.id = k.tenant_id
        LEFT JOIN tenancy.sessions s ON s.id = p_session_id AND s.revoked_at IS NULL
        LEFT JOIN tenancy.tenants st ON st.id = s.tenant_id${
          withDefaultOrganization
            ? `
        LEFT JOIN tenancy.organization_members m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id AND m.is_default AND m.is_active`
            : ''
        };
    END $$`;
}
