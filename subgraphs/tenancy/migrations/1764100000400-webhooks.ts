import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook endpoints and their deliveries: one delivery per (event, endpoint), whatever replays the event. */
export class Webhooks1764100000400 implements MigrationInterface {
  name = 'Webhooks1764100000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenancy.webhook_endpoints (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        is_active boolean NOT NULL DEFAULT true,
        disabled_reason text,
        success_count integer NOT NULL DEFAULT 0,
        failure_count integer NOT NULL DEFAULT 0,
        consecutive_failures integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        last_delivery_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_tenant ON tenancy.webhook_endpoints (tenant_id) WHERE is_active`);
    await q.query(`
      CREATE TABLE tenancy.webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        endpoint_id uuid NOT NULL REFERENCES tenancy.webhook_endpoints(id) ON DELETE CASCADE,
        event_id text NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        event_created_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'success', 'failed', 'retrying')),
        attempt integer NOT NULL DEFAULT 0,
        response_code integer,
        response_body text,
        error text,
        next_retry_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (event_id, endpoint_id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_endpoint ON tenancy.webhook_deliveries (tenant_id, endpoint_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenancy.webhook_deliveries`);
    await q.query(`DROP TABLE tenancy.webhook_endpoints`);
  }
}
