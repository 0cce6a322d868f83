import { defineErrors } from '../../src/errors';

/** The billing subgraph's own error codes (the generic ones are the kernel's, src/errors.ts). */
export const BillingErrors = defineErrors({
  PLAN_ARCHIVED: { status: 409, message: 'This plan is archived and takes no new subscriptions' },
  DEFAULT_PLAN: { status: 409, message: "The tenant's default free plan cannot be archived" },
  ALREADY_SUBSCRIBED: { status: 409, message: 'This owner already has a subscription; change its plan instead' },
  SUBSCRIPTION_NOT_CANCELLABLE: { status: 409, message: 'This subscription is already cancelled' },
  SUBSCRIPTION_NOT_RESUMABLE: { status: 409, message: 'Only a subscription set to cancel at period end can be resumed' },
  SAME_PLAN: { status: 409, message: 'The subscription is already on this plan' },
  CHECKOUT_CLOSED: { status: 409, message: 'This checkout session is no longer open' },
  // a Stripe session completes on Stripe's page (its webhook), not on the local confirmation page
  CHECKOUT_NOT_LOCAL: { status: 409, message: "This checkout session is confirmed on the payment provider's page" },
  PAYMENT_PROVIDER_FAILED: { status: 502, message: 'The payment provider could not be reached or refused the request' },
  PAYMENT_PROVIDER_UNAVAILABLE: { status: 409, message: 'This payment provider is not configured on this installation' },
  INVALID_WEBHOOK_SIGNATURE: { status: 400, message: 'Invalid webhook signature' },
  // entitlements (000): the wire error is `feature_limit_reached`
  FEATURE_LIMIT_REACHED: { status: 403, message: 'You have reached your limit for this feature.' },
});
