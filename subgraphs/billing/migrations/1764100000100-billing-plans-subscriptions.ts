import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Plans, subscriptions (of an organization or a user), invoices and checkout sessions. Money: integer minor units + currency. */
export class BillingPlansSubscriptions1764100000100 implements MigrationInterface {
  name = 'BillingPlansSubscriptions1764100000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE billing.plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        description text,
        price_monthly_minor bigint NOT NULL CHECK (price_monthly_minor >= 0),
        price_yearly_minor bigint NOT NULL CHECK (price_yearly_minor >= 0),
        currency text NOT NULL,
        is_free boolean NOT NULL DEFAULT false,
        is_default boolean NOT NULL DEFAULT false,
        features jsonb NOT NULL DEFAULT '[]',
        max_messages_per_month bigint,
        max_tokens_per_month bigint,
        max_cost_micro_usd_per_month bigint,
        trial_days integer NOT NULL DEFAULT 0,
        provider_product_id text,
        provider_price_id_monthly text,
        provider_price_id_yearly text,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX plans_tenant_idx ON billing.plans (tenant_id, created_at)`);
    // the one free plan every tenant starts with (created lazily, exactly once)
    await q.query(`CREATE UNIQUE INDEX plans_one_default_idx ON billing.plans (tenant_id) WHERE is_default`);
    await q.query(`
      CREATE TABLE billing.subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        organization_id uuid,
        user_id uuid,
        plan_id uuid NOT NULL REFERENCES billing.plans(id),
        pending_plan_id uuid REFERENCES billing.plans(id),
        billing_interval text NOT NULL CHECK (billing_interval IN ('month', 'year')),
        status text NOT NULL CHECK (status IN ('active', 'trialing', 'past_due', 'cancelled', 'incomplete', 'unpaid')),
        current_period_start timestamptz NOT NULL,
        current_period_end timestamptz NOT NULL,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        cancelled_at timestamptz,
        trial_start timestamptz,
        trial_end timestamptz,
        metadata jsonb NOT NULL DEFAULT '{}',
        provider text NOT NULL,
        provider_customer_id text,
        provider_subscription_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (organization_id IS NOT NULL OR user_id IS NOT NULL)
      )`);
    // one live subscription per owner: an organization, or a user on their own
    await q.query(`CREATE UNIQUE INDEX subscriptions_live_org_idx ON billing.subscriptions (tenant_id, organization_id)
      WHERE organization_id IS NOT NULL AND status <> 'cancelled'`);
    await q.query(`CREATE UNIQUE INDEX subscriptions_live_user_idx ON billing.subscriptions (tenant_id, user_id)
      WHERE organization_id IS NULL AND status <> 'cancelled'`);
    await q.query(`
      CREATE TABLE billing.invoices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        subscription_id uuid NOT NULL REFERENCES billing.subscriptions(id),
        organization_id uuid,
        user_id uuid,
        plan_id uuid NOT NULL REFERENCES billing.plans(id),
        kind text NOT NULL CHECK (kind IN ('period', 'proration')),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'paid', 'void')),
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        paid_at timestamptz,
        provider text NOT NULL,
        provider_invoice_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // one invoice per subscription and period, however often the rollover runs
    await q.query(`CREATE UNIQUE INDEX invoices_one_per_period_idx ON billing.invoices (subscription_id, period_start) WHERE kind = 'period'`);
    await q.query(`CREATE INDEX invoices_org_idx ON billing.invoices (tenant_id, organization_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE billing.checkout_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        organization_id uuid,
        user_id uuid,
        plan_id uuid NOT NULL REFERENCES billing.plans(id),
        billing_interval text NOT NULL CHECK (billing_interval IN ('month', 'year')),
        status text NOT NULL CHECK (status IN ('open', 'completed', 'expired')),
        success_url text NOT NULL,
        cancel_url text NOT NULL,
        subscription_id uuid REFERENCES billing.subscriptions(id),
        provider text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (organization_id IS NOT NULL OR user_id IS NOT NULL)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE billing.checkout_sessions`);
    await q.query(`DROP TABLE billing.invoices`);
    await q.query(`DROP TABLE billing.subscriptions`);
    await q.query(`DROP TABLE billing.plans`);
  }
}
