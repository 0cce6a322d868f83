import type Stripe from 'stripe';
import type { DataSource, EntityManager } from 'typeorm';
import type { PaymentSettings } from '../../../src/config';
import { DomainError } from '../../../src/errors';
import { BillingErrors } from '../billing.errors';
import { ProviderSync, type ProviderSubscriptionState } from '../subscription/provider-sync';
import type { SubscriptionStatus } from '../subscription/subscription.entity';
import type { CheckoutService } from './checkout.service';
import { stripeClient, TENANT_METADATA_KEY } from './stripe-provider';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOr = (value: unknown): string | null => (typeof value === 'string' && UUID.test(value) ? value : null);
const idOf = (value: unknown): string | null => (typeof value === 'string' ? value : ((value as { id?: string } | null)?.id ?? null));
const dateOf = (seconds: unknown): Date | null => (typeof seconds === 'number' ? new Date(seconds * 1000) : null);

/** Stripe's subscription statuses in the platform's words (paused: no service, as past due). */
const STATUSES: Record<string, SubscriptionStatus> = {
  active: 'active',
  trialing: 'trialing',
  past_due: 'past_due',
  unpaid: 'unpaid',
  incomplete: 'incomplete',
  incomplete_expired: 'cancelled',
  canceled: 'cancelled',
  paused: 'past_due',
};

/** The tenant a Stripe object belongs to: the metadata the platform set when it created it. */
function tenantOf(object: any): string | null {
  return uuidOr(
    object?.metadata?.[TENANT_METADATA_KEY] ??
      object?.parent?.subscription_details?.metadata?.[TENANT_METADATA_KEY] ??
      object?.subscription_details?.metadata?.[TENANT_METADATA_KEY] ??
      object?.lines?.data?.[0]?.metadata?.[TENANT_METADATA_KEY],
  );
}

/**
 * `POST /v1/billing/webhook`: Stripe's events, verified against the raw body with the endpoint's
 * signing secret, applied once per event id (a replay, or Stripe's retry of a delivered event,
 * changes nothing) in one transaction with the record of the event.
 */
export class StripeWebhookService {
  private readonly stripe: Stripe | undefined;
  private readonly sync = new ProviderSync('stripe');

  constructor(
    private readonly dataSource: DataSource,
    private readonly checkout: CheckoutService,
    private readonly settings: PaymentSettings,
  ) {
    this.stripe = settings.stripe ? stripeClient(settings.stripe) : undefined;
  }

  async receive(payload: string, signature: string | null | undefined): Promise<{ received: boolean; duplicate: boolean }> {
    const secret = this.settings.stripe?.webhookSecret;
    if (!this.stripe || !secret) throw new DomainError(BillingErrors.INVALID_WEBHOOK_SIGNATURE, 'Stripe webhooks are not configured on this installation');
    if (!signature) throw new DomainError(BillingErrors.INVALID_WEBHOOK_SIGNATURE, 'Missing Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(payload, signature, secret);
    } catch (error) {
      throw new DomainError(BillingErrors.INVALID_WEBHOOK_SIGNATURE, `Invalid webhook signature: ${(error as Error).message}`);
    }
    const object = event.data.object as any;
    const tenantId = tenantOf(object);
    return this.dataSource.transaction(async (manager) => {
      const recorded: unknown[] = await manager.query(
        `INSERT INTO billing.provider_events (provider, event_id, tenant_id, type) VALUES ('stripe', $1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.id, tenantId, event.type],
      );
      if (!recorded.length) return { received: true, duplicate: true };
      // events of objects the platform did not create name no tenant: acknowledged, nothing to do
      if (tenantId) await this.apply(manager, tenantId, event.type, object);
      return { received: true, duplicate: false };
    });
  }

  private async apply(manager: EntityManager, tenantId: string, type: string, object: any): Promise<void> {
    switch (type) {
      case 'checkout.session.completed':
        return this.checkoutCompleted(manager, tenantId, object);
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
        await this.sync.applySubscription(manager, tenantId, object.id, this.subscriptionState(object, type.endsWith('deleted')));
        return;
      case 'invoice.paid':
      case 'invoice.payment_succeeded':
      case 'invoice.payment_failed':
        return this.invoice(manager, tenantId, object, type !== 'invoice.payment_failed');
    }
  }

  private async checkoutCompleted(manager: EntityManager, tenantId: string, session: any): Promise<void> {
    const sessionId = uuidOr(session.client_reference_id ?? session.metadata?.checkout_session_id);
    const providerSubscriptionId = idOf(session.subscription);
    if (!sessionId || !session.id) return;
    const completed = await this.checkout.completeByProvider(manager, tenantId, sessionId, {
      provider: 'stripe',
      providerSessionId: session.id,
      providerCustomerId: idOf(session.customer),
      providerSubscriptionId,
    });
    // Stripe charged the first invoice during the checkout; its invoice.paid may come before or after
    const invoiceId = idOf(session.invoice);
    if (completed && providerSubscriptionId && invoiceId && session.payment_status === 'paid') {
      const now = new Date();
      await this.sync.applyInvoice(manager, tenantId, providerSubscriptionId, {
        providerInvoiceId: invoiceId,
        proration: false,
        amountMinor: Number(session.amount_total ?? 0),
        currency: String(session.currency ?? 'usd'),
        periodStart: null,
        periodEnd: null,
        paid: true,
        paidAt: now,
      });
    }
  }

  private subscriptionState(subscription: any, deleted: boolean): ProviderSubscriptionState {
    const item = subscription.items?.data?.[0];
    return {
      status: deleted ? 'cancelled' : (STATUSES[subscription.status] ?? null),
      // current periods moved from the subscription to its items in Stripe's 2025 API versions
      periodStart: dateOf(subscription.current_period_start ?? item?.current_period_start),
      periodEnd: dateOf(subscription.current_period_end ?? item?.current_period_end),
      cancelAtPeriodEnd: deleted ? false : typeof subscription.cancel_at_period_end === 'boolean' ? subscription.cancel_at_period_end : null,
      cancelledAt: dateOf(subscription.ended_at ?? subscription.canceled_at),
      priceId: idOf(item?.price),
    };
  }

  private async invoice(manager: EntityManager, tenantId: string, invoice: any, paid: boolean): Promise<void> {
    const providerSubscriptionId = idOf(invoice.parent?.subscription_details?.subscription ?? invoice.subscription);
    if (!providerSubscriptionId || !invoice.id) return;
    const period = invoice.lines?.data?.[0]?.period;
    const now = new Date();
    await this.sync.applyInvoice(manager, tenantId, providerSubscriptionId, {
      providerInvoiceId: invoice.id,
      proration: invoice.billing_reason === 'subscription_update',
      amountMinor: Number((paid ? invoice.amount_paid : invoice.amount_due) ?? 0),
      currency: String(invoice.currency ?? 'usd'),
      periodStart: dateOf(period?.start ?? invoice.period_start),
      periodEnd: dateOf(period?.end ?? invoice.period_end),
      paid,
      paidAt: paid ? (dateOf(invoice.status_transitions?.paid_at) ?? now) : null,
    });
  }
}
