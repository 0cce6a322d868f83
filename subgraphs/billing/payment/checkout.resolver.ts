import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Authenticated, requireTenant, RequiresScopes, requireUser, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { BillingScopes } from '../billing.scopes';
import { priceDisplay } from '../plan/money';
import { priceFor } from '../subscription/invoicing';
import type { SubscriptionAccess } from '../subscription/subscription-access';
import { intervalOf } from '../subscription/subscription.entity';
import { CheckoutSession } from './checkout-session.entity';
import type { CheckoutService, StartedCheckout } from './checkout.service';
import { CheckoutSessionArgs, ServerCheckoutArgs, StartCheckoutArgs, StartedCheckoutResult } from './checkout.types';

const started = ({ session, checkoutUrl, plan }: StartedCheckout): StartedCheckoutResult => ({
  checkoutUrl,
  sessionId: session.providerSessionId ?? session.id, // Stripe's cs_… with Stripe (001: "Stripe session ID")
  planName: plan.name,
  price: priceDisplay(priceFor(plan, session.billingInterval), plan.currency, session.billingInterval),
  message: null,
});

export function createCheckoutResolver(checkout: CheckoutService, access: SubscriptionAccess) {
  @Resolver(() => CheckoutSession)
  class CheckoutResolver {
    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => StartedCheckoutResult, { description: "Start buying a plan for the signed-in user, or for an organization whose billing they manage" })
    async startCheckout(@Args() args: StartCheckoutArgs, @Ctx() context: SubgraphContext): Promise<StartedCheckoutResult> {
      const { tenantId, userId } = requireUser(context.identity);
      if (args.organizationId) await access.requireOrganization(context, args.organizationId, 'manage');
      const owner = args.organizationId ? { organizationId: args.organizationId } : { userId };
      return started(await checkout.start(tenantId, owner, { ...args, interval: intervalOf(args.billingCycle) }));
    }

    @RequiresScopes(BillingScopes.subscriptionsWrite)
    @Mutation(() => StartedCheckoutResult, { description: "Start buying a plan for an organization on behalf of its user (secret key)" })
    async createCheckoutSession(@Args() args: ServerCheckoutArgs, @Ctx() context: SubgraphContext): Promise<StartedCheckoutResult> {
      const owner = { organizationId: args.organizationId };
      return started(await checkout.start(requireTenant(context.identity), owner, { ...args, interval: intervalOf(args.billingCycle) }));
    }

    // The local checkout page: its unguessable id is the capability, as a hosted checkout link is.
    @Authenticated()
    @Query(() => CheckoutSession, { description: 'A checkout session, as the local checkout page shows it' })
    checkoutSession(@Args() { sessionId }: CheckoutSessionArgs, @Ctx() context: SubgraphContext) {
      return checkout.get(requireTenant(context.identity), sessionId);
    }

    @Authenticated()
    @Mutation(() => CheckoutSession, { description: 'Confirm a local checkout: the subscription starts or changes plan; then go to successUrl' })
    confirmCheckoutSession(@Args() { sessionId }: CheckoutSessionArgs, @Ctx() context: SubgraphContext) {
      return checkout.confirm(requireTenant(context.identity), sessionId);
    }
  }
  return CheckoutResolver;
}
