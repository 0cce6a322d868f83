import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usage counters: one row per (tenant, organization, user, meter, billing period), changed in
 * place by conditional upserts (usage/usage-counters.ts) so a limit holds under concurrency.
 * The nil uuid stands for "no organization" / "the organization's total" in the key.
 */
export class UsageCounters1764100000200 implements MigrationInterface {
  name = 'UsageCounters1764100000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.usage_counters (
        tenant_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        user_id uuid NOT NULL,
        meter text NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        value numeric NOT NULL DEFAULT 0 CHECK (value >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, organization_id, user_id, meter, period_start)
      )`);
    await q.query(`CREATE INDEX usage_counters_period_idx ON billing.usage_counters (tenant_id, organization_id, user_id, period_start DESC)`);
    await q.query(`ALTER TABLE billing.usage_records ADD COLUMN metadata jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE billing.usage_records DROP COLUMN metadata`);
    await q.query(`DROP TABLE billing.usage_counters`);
  }
}
