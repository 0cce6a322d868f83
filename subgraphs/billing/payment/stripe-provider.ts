import Stripe from 'stripe';
import type { PaymentSettings } from '../../../src/config';
import { DomainError } from '../../../src/errors';
import { BillingErrors } from '../billing.errors';
import { priceFor } from '../subscription/invoicing';
import type { ChargeRequest, CheckoutRequest, HostedCheckout, PaymentProvider, ProviderSubscriptionChange } from './payment-provider';

/** The metadata key that names the tenant on every Stripe object the platform creates (webhooks route by it). */
export const TENANT_METADATA_KEY = 'tenant_id';

type StripeSettings = NonNullable<PaymentSettings['stripe']>;

/** The official client; `STRIPE_API_BASE` (tests: a fake Stripe on loopback) becomes its host, port and protocol. */
export function stripeClient(settings: StripeSettings): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 1,
    timeout: 20_000,
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === 'https:' ? 443 : 80),
      protocol: base.protocol === 'http:' ? 'http' : 'https',
    }),
  });
}

/**
 * Stripe Billing collects the money: the checkout is a Stripe Checkout session in subscription
 * mode, and Stripe invoices the subscription it creates, reporting back through the webhook
 * (payment/stripe-webhook.service.ts). The platform does not charge Stripe-managed
 * subscriptions itself; one started without a checkout has no payment method and stays unpaid.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';

  constructor(private readonly stripe: Stripe) {}

  async startCheckout(request: CheckoutRequest): Promise<HostedCheckout> {
    const { plan, interval } = request;
    const priceId = interval === 'year' ? plan.providerPriceIdYearly : plan.providerPriceIdMonthly;
    // A plan not synced to a Stripe price is sold with inline price data (same amount, currency, cycle).
    const lineItem: Stripe.Checkout.SessionCreateParams.LineItem = priceId
      ? { price: priceId, quantity: 1 }
      : {
          quantity: 1,
          price_data: {
            currency: plan.currency.toLowerCase(),
            unit_amount: priceFor(plan, interval),
            recurring: { interval },
            product_data: { name: plan.name },
          },
        };
    const metadata = { [TENANT_METADATA_KEY]: request.tenantId, checkout_session_id: request.sessionId, plan_id: plan.id };
    try {
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'subscription',
          line_items: [lineItem],
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          client_reference_id: request.sessionId,
          metadata,
          // the plan's trial is Stripe's too: nothing is charged until it ends
          subscription_data: { metadata, ...(plan.trialDays > 0 && { trial_period_days: plan.trialDays }) },
        },
        // a retried request (network failure) creates no second session
        { idempotencyKey: `checkout-${request.sessionId}` },
      );
      if (!session.url) throw new Error('Stripe returned a checkout session without a url');
      return { url: session.url, providerSessionId: session.id };
    } catch (error) {
      throw new DomainError(BillingErrors.PAYMENT_PROVIDER_FAILED, `The payment provider refused the checkout: ${(error as Error).message}`);
    }
  }

  /** Keeps Stripe's subscription in step with a change made through the platform (before it commits). */
  async updateSubscription(tenantId: string, providerSubscriptionId: string, change: ProviderSubscriptionChange): Promise<void> {
    try {
      if (change.kind === 'cancel') {
        if (change.atPeriodEnd) await this.stripe.subscriptions.update(providerSubscriptionId, { cancel_at_period_end: true });
        else await this.stripe.subscriptions.cancel(providerSubscriptionId);
        return;
      }
      if (change.kind === 'resume') {
        await this.stripe.subscriptions.update(providerSubscriptionId, { cancel_at_period_end: false });
        return;
      }
      const { plan, interval } = change;
      const current = await this.stripe.subscriptions.retrieve(providerSubscriptionId);
      const item = current.items.data[0];
      const priceId = interval === 'year' ? plan.providerPriceIdYearly : plan.providerPriceIdMonthly;
      const product = typeof item.price.product === 'string' ? item.price.product : item.price.product.id;
      await this.stripe.subscriptions.update(providerSubscriptionId, {
        items: [
          priceId
            ? { id: item.id, price: priceId }
            : { id: item.id, price_data: { currency: plan.currency.toLowerCase(), unit_amount: priceFor(plan, interval), recurring: { interval }, product } },
        ],
        // an upgrade is invoiced now for the rest of the period; a downgrade bills from the next period
        proration_behavior: change.prorate ? 'always_invoice' : 'none',
        metadata: { [TENANT_METADATA_KEY]: tenantId, plan_id: plan.id },
      });
    } catch (error) {
      throw new DomainError(BillingErrors.PAYMENT_PROVIDER_FAILED, `The payment provider refused the change: ${(error as Error).message}`);
    }
  }

  async charge(_request: ChargeRequest): Promise<{ paid: boolean; providerInvoiceId: string | null }> {
    // Only a Stripe Checkout gives Stripe a payment method; what starts without one is not paid.
    return { paid: false, providerInvoiceId: null };
  }
}
