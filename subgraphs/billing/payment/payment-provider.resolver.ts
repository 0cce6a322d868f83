import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { BillingScopes } from '../billing.scopes';
import type { PaymentProviders } from './payment-providers';
import { PaymentProviderChoice, PaymentSettingsResult, StripeWebhookArgs, StripeWebhookReceipt } from './payment-provider.types';
import type { StripeWebhookService } from './stripe-webhook.service';

export function createPaymentProviderResolver(dataSource: DataSource, providers: PaymentProviders, webhooks: StripeWebhookService) {
  const settingsOf = async (tenantId: string): Promise<PaymentSettingsResult> => ({
    provider: (await providers.nameForTenant(dataSource.manager, tenantId)) as PaymentProviderChoice,
    stripeConfigured: providers.stripeConfigured,
  });

  @Resolver()
  class PaymentProviderResolver {
    @RequiresScopes(BillingScopes.plansRead, BillingScopes.plansWrite)
    @Query(() => PaymentSettingsResult, { description: "The tenant's payment provider" })
    paymentSettings(@Ctx() context: SubgraphContext) {
      return settingsOf(requireTenant(context.identity));
    }

    @RequiresScopes(BillingScopes.plansWrite)
    @Mutation(() => PaymentSettingsResult, { description: 'Choose how new checkouts and subscriptions are paid (existing subscriptions keep theirs)' })
    async setPaymentProvider(@Arg('provider', () => PaymentProviderChoice) provider: PaymentProviderChoice, @Ctx() context: SubgraphContext) {
      const tenantId = requireTenant(context.identity);
      await providers.choose(dataSource.manager, tenantId, provider);
      return settingsOf(tenantId);
    }

    // Public: Stripe's deliveries carry no key; the signature over the raw body is the credential
    // and the tenant is the one the signed event's metadata names.
    @Mutation(() => StripeWebhookReceipt, { description: "Stripe's webhook: a signed event updates subscriptions and invoices once" })
    receiveStripeWebhook(@Args() { payload, signature }: StripeWebhookArgs) {
      return webhooks.receive(payload, signature);
    }
  }
  return PaymentProviderResolver;
}
