import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Kernel tables shared by every subgraph: the event outbox and rate-limit counters. */
export class PlatformKernel1732000000000 implements MigrationInterface {
  name = 'PlatformKernel1732000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE platform.outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid,
        type text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished_idx ON platform.outbox (created_at) WHERE published_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE platform.rate_limits (
        key text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        blocked_until timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE platform.rate_limits`);
    await queryRunner.query(`DROP TABLE platform.outbox`);
  }
}
