import type { SubgraphDeps } from '../../src/federation/run-subgraph';
import { rolesFromTenancy } from '../../src/federation/organization-roles-client';
import { CheckoutSession } from './payment/checkout-session.entity';
import { createCheckoutResolver } from './payment/checkout.resolver';
import { CheckoutService } from './payment/checkout.service';
import { PaymentProviders } from './payment/payment-providers';
import { createPaymentProviderResolver } from './payment/payment-provider.resolver';
import { StripeWebhookService } from './payment/stripe-webhook.service';
import { Plan } from './plan/plan.entity';
import { PLAN_EVENTS } from './plan/plan.events';
import { createPlanResolver } from './plan/plan.resolver';
import { PlanService } from './plan/plan.service';
import { Invoice } from './subscription/invoice.entity';
import { SubscriptionAccess } from './subscription/subscription-access';
import { BillingSubscription } from './subscription/subscription.entity';
import { SUBSCRIPTION_EVENTS } from './subscription/subscription.events';
import { createSubscriptionResolver } from './subscription/subscription.resolver';
import { SubscriptionService } from './subscription/subscription.service';

/** Plans, subscriptions, invoices and checkout: the billing subgraph's commercial half. */
export const SUBSCRIPTION_ENTITIES = [Plan, BillingSubscription, Invoice, CheckoutSession];
export const SUBSCRIPTION_MODULE_EVENTS = [...PLAN_EVENTS, ...SUBSCRIPTION_EVENTS];

export function createSubscriptionResolvers({ dataSource, config }: SubgraphDeps) {
  const providers = new PaymentProviders(config.publicUrl, config.payments);
  const plans = new PlanService(dataSource);
  const subscriptions = new SubscriptionService(dataSource, plans, providers);
  const access = new SubscriptionAccess(rolesFromTenancy(config.subgraphUrls.tenancy, config.internalSecret));
  const checkout = new CheckoutService(dataSource, plans, subscriptions, providers);
  return [
    createPlanResolver(plans),
    createSubscriptionResolver(subscriptions, plans, access),
    createCheckoutResolver(checkout, access),
    createPaymentProviderResolver(dataSource, providers, new StripeWebhookService(dataSource, checkout, config.payments)),
  ];
}
