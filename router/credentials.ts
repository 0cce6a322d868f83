import { Pool } from 'pg';
import { isUuid } from '../src/validation';

export interface ResolvedCredentials {
  key?: { id: string; tenantId: string; type: 'public' | 'secret'; scopes: string[]; allowedOrigins: string[] };
  session?: { tenantId: string; userId: string };
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
        ? { id: row.key_id, tenantId: row.tenant_id, type: row.key_type, scopes: row.scopes, allowedOrigins: row.allowed_origins }
        : undefined,
      session: row.session_user_id ? { tenantId: row.session_tenant_id, userId: row.session_user_id } : undefined,
    };
  }

  /**
   * A live tenant admin session by its token's digest, with the admin's role in `workspaceId` when
   * given (undefined when that is no live workspace of theirs): `tenancy.resolve_admin_session`.
   */
  async resolveAdminSession(
    tokenHash: string,
    workspaceId?: string,
  ): Promise<{ sessionId: string; adminId: string; workspaceRole?: 'owner' | 'admin' } | undefined> {
    const { rows } = await this.pool.query({
      name: 'resolve-admin-session',
      text: 'SELECT * FROM tenancy.resolve_admin_session($1, $2)',
      values: [tokenHash, workspaceId ?? null],
    });
    return rows[0] ? { sessionId: rows[0].session_id, adminId: rows[0].admin_id, workspaceRole: rows[0].workspace_role ?? undefined } : undefined;
  }
}
