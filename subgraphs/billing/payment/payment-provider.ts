import type { Plan } from '../plan/plan.entity';
import type { BillingInterval } from '../subscription/subscription.entity';

/** A checkout the platform asks a provider to host. */
export interface CheckoutRequest {
  sessionId: string;
  tenantId: string;
  plan: Plan;
  interval: BillingInterval;
  successUrl: string;
  cancelUrl: string;
}

/** A hosted checkout: where to send the customer, and the provider's id of it (null: the platform's own). */
export interface HostedCheckout {
  url: string;
  providerSessionId: string | null;
}

/** An amount the platform asks a provider to collect for an invoice it generated. */
export interface ChargeRequest {
  invoiceId: string;
  tenantId: string;
  amountMinor: number;
  currency: string;
}

/** A change made through the platform to a subscription the provider runs (it must bill accordingly). */
export type ProviderSubscriptionChange =
  | { kind: 'cancel'; atPeriodEnd: boolean }
  | { kind: 'resume' }
  /** prorate: an upgrade, charged now for the rest of the period; else the new price from the next period */
  | { kind: 'change_plan'; plan: Plan; interval: BillingInterval; prorate: boolean };

/**
 * Where money is collected. The platform keeps subscriptions, periods and invoices itself; a
 * provider hosts the checkout page and collects invoices (local: the built-in one; Stripe: when
 * configured).
 */
export interface PaymentProvider {
  readonly name: string;
  /** Opens the page the customer confirms the purchase on. */
  startCheckout(request: CheckoutRequest): Promise<HostedCheckout>;
  /** Collects an invoice; `paid: false` makes the subscription past_due. */
  charge(request: ChargeRequest): Promise<{ paid: boolean; providerInvoiceId: string | null }>;
  /** Providers that run subscriptions themselves (Stripe) hear of cancellations, resumptions and plan changes. */
  updateSubscription?(tenantId: string, providerSubscriptionId: string, change: ProviderSubscriptionChange): Promise<void>;
}
