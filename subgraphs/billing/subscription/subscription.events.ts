import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

const owner = { subscriptionId: z.guid(), organizationId: z.guid().nullable(), userId: z.guid().nullable() };

export const SubscriptionCreated = defineEvent('subscription.created', z.object({ ...owner, planId: z.guid(), status: z.string() }));
export const SubscriptionUpdated = defineEvent(
  'subscription.updated',
  z.object({ ...owner, planId: z.guid(), status: z.string(), changed: z.array(z.string()) }),
);
export const SubscriptionCancelled = defineEvent('subscription.cancelled', z.object({ ...owner, atPeriodEnd: z.boolean(), endsAt: z.iso.datetime() }));
export const SubscriptionRenewed = defineEvent(
  'subscription.renewed',
  z.object({ ...owner, planId: z.guid(), periodStart: z.iso.datetime(), periodEnd: z.iso.datetime() }),
);
export const InvoiceCreated = defineEvent(
  'invoice.created',
  z.object({ invoiceId: z.guid(), subscriptionId: z.guid(), amountMinor: z.number().int().nonnegative(), currency: z.string(), kind: z.string() }),
);
export const InvoicePaid = defineEvent('invoice.paid', z.object({ invoiceId: z.guid(), subscriptionId: z.guid(), amountMinor: z.number().int().nonnegative(), currency: z.string() }));

export const SUBSCRIPTION_EVENTS = [SubscriptionCreated, SubscriptionUpdated, SubscriptionCancelled, SubscriptionRenewed, InvoiceCreated, InvoicePaid];
