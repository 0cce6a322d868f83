import { Pool } from 'pg';
import { effectiveTier, rateTierOf, type RateLimitTier } from '../src/rate-limit-tiers';
import { isUuid } from '../src/validation';
import type { OrgRole } from '../src/federation/organization-access';

export interface ResolvedCredentials {
  /** `tier`: the rate tier its requests run at (the workspace's, or the key's own when lower). */
  key?: { id: string; tenantId: string; type: 'public' | 'secret'; scopes: string[]; allowedOrigins: string[]; tier: RateLimitTier };
  /** `defaultOrganizationId`: the user's default organization (null: none), `defaultOrganizationRole` their role in it. */
  session?: { tenantId: string; userId: string; tier: RateLimitTier; defaultOrganizationId: string | null; defaultOrganizationRole: OrgRole | null };
}

/**
 * Resolves an API key digest and an end-user session in one round trip through
 * `tenancy.resolve_credentials`, the function tenancy publishes for edge auth (the router never
 * reads tenancy's tables). No cache: a revoked key or session stops working at once.
 */
export class CredentialStore {
  constructor(private readonly pool: Pool) {}

  async resolve(keyHash: string | undefined, sessionId: string | undefined): Promise<ResolvedCredentials> {
    const { rows } = await this.pool.query({
      name: 'resolve-credentials',
      text: 'SELECT * FROM tenancy.resolve_credentials($1, $2)',
      values: [keyHash ?? null, sessionId && isUuid(sessionId) ? sessionId : null],
    });
    const row = rows[0] ?? {};
    return {
      key: row.key_id
        ? { id: row.key_id, tenantId: row.tenant_id, type: row.key_type, scopes: row.scopes, allowedOrigins: row.allowed_origins, tier: effectiveTier(row.key_tenant_tier, row.key_tier) }
        : undefined,
      session: row.session_user_id
        ? { tenantId: row.session_tenant_id, userId: row.session_user_id, tier: rateTierOf(row.session_tenant_tier), defaultOrganizationId: row.session_default_organization_id ?? null, defaultOrganizationRole: row.session_default_organization_role ?? null }
        : undefined,
    };
  }

  /**
   * A live tenant admin session by its token's digest, with the admin's role in `workspaceId` when
   * given (undefined when that is no live workspace of theirs) and that workspace's rate tier:
   * `tenancy.resolve_admin_session`.
   */
  async resolveAdminSession(
    tokenHash: string,
    workspaceId?: string,
  ): Promise<{ sessionId: string; adminId: string; workspaceRole?: 'owner' | 'admin'; workspaceTier?: RateLimitTier } | undefined> {
    const { rows } = await this.pool.query({
      name: 'resolve-admin-session',
      text: 'SELECT * FROM tenancy.resolve_admin_session($1, $2)',
      values: [tokenHash, workspaceId ?? null],
    });
    const row = rows[0];
    if (!row) return undefined;
    return { sessionId: row.session_id, adminId: row.admin_id, workspaceRole: row.workspace_role ?? undefined, workspaceTier: row.workspace_role ? rateTierOf(row.workspace_tier) : undefined };
  }
}
