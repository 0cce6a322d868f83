import type { EntityManager } from 'typeorm';
import type { PaymentSettings } from '../../../src/config';
import { DomainError } from '../../../src/errors';
import { BillingErrors } from '../billing.errors';
import { LocalPaymentProvider } from './local-provider';
import type { PaymentProvider } from './payment-provider';
import { stripeClient, StripePaymentProvider } from './stripe-provider';

export type PaymentProviderName = 'local' | 'stripe';

/**
 * The installation's payment providers and which one a tenant uses. Stripe's account is the
 * installation's (STRIPE_SECRET_KEY); each tenant runs on PAYMENT_PROVIDER's default unless it
 * chose otherwise (`setPaymentProvider`, kept in billing.payment_settings). A subscription keeps
 * the provider it started with.
 */
export class PaymentProviders {
  private readonly local: LocalPaymentProvider;
  private readonly stripe: StripePaymentProvider | undefined;

  constructor(
    publicUrl: string,
    private readonly settings: PaymentSettings,
  ) {
    this.local = new LocalPaymentProvider(publicUrl);
    this.stripe = settings.stripe ? new StripePaymentProvider(stripeClient(settings.stripe)) : undefined;
  }

  get stripeConfigured(): boolean {
    return this.stripe !== undefined;
  }

  /** The provider a subscription or session names (a Stripe one whose account was removed: local page, never a silent switch). */
  byName(name: string): PaymentProvider {
    if (name === 'stripe') {
      if (!this.stripe) throw new DomainError(BillingErrors.PAYMENT_PROVIDER_UNAVAILABLE);
      return this.stripe;
    }
    return this.local;
  }

  /** The provider new checkouts and subscriptions of the tenant use. */
  async forTenant(manager: EntityManager, tenantId: string): Promise<PaymentProvider> {
    return this.byName(await this.nameForTenant(manager, tenantId));
  }

  async nameForTenant(manager: EntityManager, tenantId: string): Promise<PaymentProviderName> {
    const rows: Array<{ provider: PaymentProviderName }> = await manager.query(`SELECT provider FROM billing.payment_settings WHERE tenant_id = $1`, [tenantId]);
    return rows[0]?.provider ?? this.settings.defaultProvider;
  }

  async choose(manager: EntityManager, tenantId: string, provider: PaymentProviderName): Promise<void> {
    if (provider === 'stripe' && !this.stripe) throw new DomainError(BillingErrors.PAYMENT_PROVIDER_UNAVAILABLE, 'Stripe is not configured on this installation (STRIPE_SECRET_KEY)');
    await manager.query(
      `INSERT INTO billing.payment_settings (tenant_id, provider) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET provider = EXCLUDED.provider, updated_at = now()`,
      [tenantId, provider],
    );
  }
}
