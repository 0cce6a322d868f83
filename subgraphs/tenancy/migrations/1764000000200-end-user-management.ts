import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * End-user management by the tenant (001_… section `users`): an external subject id, a status
 * label, settings, soft deletion, and users created by a secret key (no password until they
 * reset one).
 */
export class EndUserManagement1764000000200 implements MigrationInterface {
  name = 'EndUserManagement1764000000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenancy.end_users
        ALTER COLUMN password_hash DROP NOT NULL,
        ADD COLUMN sub text,
        ADD COLUMN status text NOT NULL DEFAULT 'active',
        ADD COLUMN settings jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN deleted_at timestamptz`);
    // The tenant's own identifier of a user is unique within the tenant (deleted users keep theirs, as they keep their email).
    await q.query(`CREATE UNIQUE INDEX end_users_tenant_sub_idx ON tenancy.end_users (tenant_id, sub) WHERE sub IS NOT NULL`);
    // Lists and stats read the tenant's live users in creation order.
    await q.query(`CREATE INDEX end_users_tenant_created_idx ON tenancy.end_users (tenant_id, created_at, id) WHERE deleted_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX tenancy.end_users_tenant_created_idx`);
    await q.query(`DROP INDEX tenancy.end_users_tenant_sub_idx`);
    await q.query(`UPDATE tenancy.end_users SET password_hash = '' WHERE password_hash IS NULL`);
    await q.query(`
      ALTER TABLE tenancy.end_users
        ALTER COLUMN password_hash SET NOT NULL,
        DROP COLUMN sub,
        DROP COLUMN status,
        DROP COLUMN settings,
        DROP COLUMN deleted_at`);
  }
}
