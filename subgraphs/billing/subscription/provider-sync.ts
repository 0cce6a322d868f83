import type { EntityManager } from 'typeorm';
import { emit } from '../../../src/events/outbox';
import { Plan } from '../plan/plan.entity';
import { Invoice } from './invoice.entity';
import { BillingSubscription, type SubscriptionStatus } from './subscription.entity';
import { InvoicePaid, SubscriptionCancelled, SubscriptionUpdated } from './subscription.events';

/** A subscription's state as the provider reports it (Stripe's customer.subscription.* events). */
export interface ProviderSubscriptionState {
  status: SubscriptionStatus | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  cancelAtPeriodEnd: boolean | null;
  cancelledAt: Date | null;
  /** The provider's price the subscription is on: maps to a plan of the tenant when one carries it. */
  priceId: string | null;
}

/** An invoice as the provider reports it (Stripe's invoice.paid / invoice.payment_failed). */
export interface ProviderInvoice {
  providerInvoiceId: string;
  proration: boolean;
  amountMinor: number;
  currency: string;
  /** null: the subscription's current period */
  periodStart: Date | null;
  periodEnd: Date | null;
  paid: boolean;
  paidAt: Date | null;
}

const owner = (s: BillingSubscription) => ({ subscriptionId: s.id, organizationId: s.organizationId, userId: s.userId });
const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Applies what a payment provider reports about the subscriptions it runs, in the caller's
 * transaction (the one that records the provider's event id). Each change is a no-op when the
 * row already says so, and every lookup is by the tenant the signed event names.
 */
export class ProviderSync {
  constructor(private readonly provider: string) {}

  private locked(manager: EntityManager, tenantId: string, providerSubscriptionId: string) {
    return manager.getRepository(BillingSubscription).findOne({
      where: { tenantId, provider: this.provider, providerSubscriptionId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Status, period, cancellation and plan; null when the tenant has no such subscription. */
  async applySubscription(manager: EntityManager, tenantId: string, providerSubscriptionId: string, state: ProviderSubscriptionState): Promise<BillingSubscription | null> {
    const subscription = await this.locked(manager, tenantId, providerSubscriptionId);
    if (!subscription) return null;
    const changed: string[] = [];
    const set = <K extends keyof BillingSubscription>(key: K, value: BillingSubscription[K] | null, same = value === subscription[key]) => {
      if (value === null && key !== 'cancelledAt') return;
      if (same) return;
      subscription[key] = value as BillingSubscription[K];
      changed.push(key);
    };
    set('status', state.status);
    if (state.periodStart) set('currentPeriodStart', state.periodStart, sameTime(state.periodStart, subscription.currentPeriodStart));
    if (state.periodEnd) set('currentPeriodEnd', state.periodEnd, sameTime(state.periodEnd, subscription.currentPeriodEnd));
    set('cancelAtPeriodEnd', state.cancelAtPeriodEnd);
    if (state.status === 'cancelled') set('cancelledAt', state.cancelledAt ?? new Date(), subscription.cancelledAt !== null);
    if (state.priceId) {
      const plan = await manager
        .getRepository(Plan)
        .createQueryBuilder('p')
        .where('p.tenant_id = :tenantId AND (p.provider_price_id_monthly = :price OR p.provider_price_id_yearly = :price)', { tenantId, price: state.priceId })
        .getOne();
      if (plan) set('planId', plan.id);
    }
    if (!changed.length) return subscription;
    await manager.getRepository(BillingSubscription).save(subscription);
    if (changed.includes('status') && subscription.status === 'cancelled') {
      await emit(manager, SubscriptionCancelled, tenantId, { ...owner(subscription), atPeriodEnd: false, endsAt: subscription.cancelledAt!.toISOString() });
    } else {
      await emit(manager, SubscriptionUpdated, tenantId, { ...owner(subscription), planId: subscription.planId, status: subscription.status, changed });
    }
    return subscription;
  }

  /**
   * Records the provider's invoice once (by its id) and moves the subscription: paid brings a
   * past-due or incomplete one back to active, a failed payment makes an active one past due.
   */
  async applyInvoice(manager: EntityManager, tenantId: string, providerSubscriptionId: string, reported: ProviderInvoice): Promise<Invoice | null> {
    const subscription = await this.locked(manager, tenantId, providerSubscriptionId);
    if (!subscription) return null;
    const invoices = manager.getRepository(Invoice);
    let invoice = await invoices.findOneBy({ tenantId, provider: this.provider, providerInvoiceId: reported.providerInvoiceId });
    if (!invoice) {
      invoice = invoices.create({
        tenantId,
        subscriptionId: subscription.id,
        organizationId: subscription.organizationId,
        userId: subscription.userId,
        planId: subscription.planId,
        kind: reported.proration ? 'proration' : 'period',
        amountCents: reported.amountMinor,
        currency: reported.currency,
        status: 'open',
        periodStart: reported.periodStart ?? subscription.currentPeriodStart,
        periodEnd: reported.periodEnd ?? subscription.currentPeriodEnd,
        paidAt: null,
        provider: this.provider,
        providerInvoiceId: reported.providerInvoiceId,
      });
      await invoices.save(invoice);
    }
    if (reported.paid && invoice.status !== 'paid') {
      Object.assign(invoice, { status: 'paid', paidAt: reported.paidAt ?? new Date(), amountCents: reported.amountMinor });
      await invoices.save(invoice);
      await emit(manager, InvoicePaid, tenantId, { invoiceId: invoice.id, subscriptionId: subscription.id, amountMinor: Number(invoice.amountCents), currency: invoice.currency });
    }
    const next: SubscriptionStatus | null = reported.paid
      ? ['past_due', 'unpaid', 'incomplete'].includes(subscription.status) ? 'active' : null
      : ['active', 'trialing'].includes(subscription.status) ? 'past_due' : null;
    if (next) {
      subscription.status = next;
      await manager.getRepository(BillingSubscription).save(subscription);
      await emit(manager, SubscriptionUpdated, tenantId, { ...owner(subscription), planId: subscription.planId, status: next, changed: ['status'] });
    }
    return invoice;
  }
}
