import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys as `/api/v1` documents them: a rate-limit tier, an update time (for the list filters)
 * and the documented scope names. Keys created before keep their access: `api_keys:*` become
 * `api-keys:*`, and `api_keys:write` (which could revoke) also grants `api-keys:delete`.
 */
/** Stored keys' old scope names → the documented ones (exported for the test that proves keys keep their access). */
export const RENAME_KEY_SCOPES_SQL = `
  UPDATE tenancy.api_keys SET scopes = ARRAY(
    SELECT DISTINCT s FROM unnest(
      array_replace(array_replace(scopes, 'api_keys:read', 'api-keys:read'), 'api_keys:write', 'api-keys:write')
      || CASE WHEN 'api_keys:write' = ANY(scopes) THEN ARRAY['api-keys:delete'] ELSE ARRAY[]::text[] END
    ) AS s ORDER BY s)
  WHERE scopes && ARRAY['api_keys:read', 'api_keys:write']`;

export class ApiKeysV11764000000400 implements MigrationInterface {
  name = 'ApiKeysV11764000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenancy.api_keys ADD COLUMN rate_limit_tier text`);
    await q.query(`ALTER TABLE tenancy.api_keys ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`UPDATE tenancy.api_keys SET updated_at = created_at`);
    await q.query(RENAME_KEY_SCOPES_SQL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE tenancy.api_keys SET scopes = ARRAY(
        SELECT DISTINCT s FROM unnest(array_replace(array_replace(array_remove(scopes, 'api-keys:delete'), 'api-keys:read', 'api_keys:read'), 'api-keys:write', 'api_keys:write')) AS s ORDER BY s)
      WHERE scopes && ARRAY['api-keys:read', 'api-keys:write', 'api-keys:delete']`);
    await q.query(`ALTER TABLE tenancy.api_keys DROP COLUMN updated_at`);
    await q.query(`ALTER TABLE tenancy.api_keys DROP COLUMN rate_limit_tier`);
  }
}
