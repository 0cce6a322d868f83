import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BillingInit1732000000002 implements MigrationInterface {
  name = 'BillingInit1732000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.usage_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        organization_id uuid,
        user_id uuid,
        metric text NOT NULL,
        quantity numeric NOT NULL CHECK (quantity >= 0),
        source_event_id uuid UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX usage_records_user_idx ON billing.usage_records (tenant_id, user_id, metric)`);
    await q.query(`CREATE INDEX usage_records_org_idx ON billing.usage_records (tenant_id, organization_id, metric)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE billing.usage_records`);
  }
}
