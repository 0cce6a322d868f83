import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Responses kept for `Idempotency-Key` retries (REST faces that honour the header): one row per
 * tenant, caller and key; `status` is null while the first request is still running.
 */
export class IdempotencyKeys1764000000400 implements MigrationInterface {
  name = 'IdempotencyKeys1764000000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE platform.idempotency_keys (
        tenant_id uuid NOT NULL,
        caller text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status integer,
        headers jsonb,
        body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, caller, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON platform.idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform.idempotency_keys`);
  }
}
