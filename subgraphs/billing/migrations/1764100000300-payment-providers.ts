import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment providers: a tenant's choice (local or the installation's Stripe), Stripe's ids on
 * checkout sessions and invoices, and the provider events already applied (webhook replays change nothing).
 */
export class PaymentProviders1764100000300 implements MigrationInterface {
  name = 'PaymentProviders1764100000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.payment_settings (
        tenant_id uuid PRIMARY KEY,
        provider text NOT NULL CHECK (provider IN ('local', 'stripe')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE billing.provider_events (
        provider text NOT NULL,
        event_id text NOT NULL,
        tenant_id uuid,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, event_id)
      )`);
    await q.query(`ALTER TABLE billing.checkout_sessions ADD COLUMN provider_session_id text`);
    await q.query(`CREATE UNIQUE INDEX checkout_sessions_provider_idx ON billing.checkout_sessions (provider, provider_session_id) WHERE provider_session_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX invoices_provider_idx ON billing.invoices (tenant_id, provider, provider_invoice_id) WHERE provider_invoice_id IS NOT NULL`);
    await q.query(`CREATE INDEX subscriptions_provider_idx ON billing.subscriptions (tenant_id, provider, provider_subscription_id) WHERE provider_subscription_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX billing.subscriptions_provider_idx`);
    await q.query(`DROP INDEX billing.invoices_provider_idx`);
    await q.query(`DROP INDEX billing.checkout_sessions_provider_idx`);
    await q.query(`ALTER TABLE billing.checkout_sessions DROP COLUMN provider_session_id`);
    await q.query(`DROP TABLE billing.provider_events`);
    await q.query(`DROP TABLE billing.payment_settings`);
  }
}
