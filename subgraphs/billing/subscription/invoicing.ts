import type { EntityManager } from 'typeorm';
import { emit } from '../../../src/events/outbox';
import type { PaymentProvider } from '../payment/payment-provider';
import type { Plan } from '../plan/plan.entity';
import { Invoice } from './invoice.entity';
import type { BillingInterval, BillingSubscription } from './subscription.entity';
import { InvoiceCreated, InvoicePaid } from './subscription.events';

export const priceFor = (plan: Plan, interval: BillingInterval): number => (interval === 'year' ? plan.priceYearlyCents : plan.priceMonthlyCents);

/**
 * The share of `amountMinor` left for the rest of a period, in whole minor units rounded down
 * (integer arithmetic: a customer is never charged a fraction of a cent more).
 */
export function prorate(amountMinor: number, period: { start: Date; end: Date }, now: Date): number {
  const total = BigInt(period.end.getTime() - period.start.getTime());
  const left = BigInt(Math.max(0, period.end.getTime() - now.getTime()));
  if (total <= 0n) return 0;
  return Number((BigInt(amountMinor) * left) / total);
}

/**
 * Generates an invoice in the caller's transaction and has the provider collect it; zero
 * amounts (free plans, trials) produce none. Returns whether the subscription is paid up.
 */
export async function invoiceSubscription(
  manager: EntityManager,
  provider: PaymentProvider,
  subscription: BillingSubscription,
  plan: Plan,
  charge: { kind: 'period' | 'proration'; amountMinor: number; periodStart: Date; periodEnd: Date },
): Promise<boolean> {
  if (charge.amountMinor <= 0) return true;
  // the provider runs this subscription (Stripe): its invoices arrive through its webhook
  if (subscription.providerSubscriptionId) return true;
  const repository = manager.getRepository(Invoice);
  const invoice = repository.create({
    tenantId: subscription.tenantId,
    subscriptionId: subscription.id,
    organizationId: subscription.organizationId,
    userId: subscription.userId,
    planId: plan.id,
    kind: charge.kind,
    amountCents: charge.amountMinor,
    currency: plan.currency,
    status: 'open',
    periodStart: charge.periodStart,
    periodEnd: charge.periodEnd,
    paidAt: null,
    provider: provider.name,
    providerInvoiceId: null,
  });
  await repository.save(invoice);
  const money = { invoiceId: invoice.id, subscriptionId: subscription.id, amountMinor: invoice.amountCents, currency: invoice.currency };
  await emit(manager, InvoiceCreated, subscription.tenantId, { ...money, kind: charge.kind });
  const result = await provider.charge({ invoiceId: invoice.id, tenantId: subscription.tenantId, amountMinor: invoice.amountCents, currency: invoice.currency });
  if (!result.paid) return false;
  Object.assign(invoice, { status: 'paid', paidAt: new Date(), providerInvoiceId: result.providerInvoiceId });
  await repository.save(invoice);
  await emit(manager, InvoicePaid, subscription.tenantId, money);
  return true;
}
