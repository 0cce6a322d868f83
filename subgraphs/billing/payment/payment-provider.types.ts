import { IsOptional, MaxLength } from 'class-validator';
import { ArgsType, Field, ObjectType, registerEnumType } from 'type-graphql';
import { RequiresScopes } from '../../../src/federation/access';
import { MESSAGES } from '../../../src/federation/input-validation';
import { BillingScopes } from '../billing.scopes';

export enum PaymentProviderChoice {
  local = 'local',
  stripe = 'stripe',
}
registerEnumType(PaymentProviderChoice, { name: 'PaymentProviderName', description: "local: the platform's own checkout page; stripe: the installation's Stripe account" });

@ArgsType()
export class StripeWebhookArgs {
  @MaxLength(1024 * 1024, MESSAGES.maxLength(1024 * 1024))
  @Field({ description: "The request body exactly as Stripe sent it (the signature covers these bytes)" })
  payload!: string;

  @IsOptional()
  @MaxLength(4096, MESSAGES.maxLength(4096))
  @Field(() => String, { nullable: true, description: 'The Stripe-Signature header' })
  signature?: string | null;
}

// Public (test/schema/access-rules.test.ts lists it): Stripe's deliveries carry no key; the signature is the credential.
@ObjectType({ description: "A Stripe event's receipt" })
export class StripeWebhookReceipt {
  @Field()
  received!: boolean;

  @Field({ description: 'The event was applied before (a replay): nothing changed' })
  duplicate!: boolean;
}

@ObjectType({ description: "How the tenant's customers pay" })
@RequiresScopes(BillingScopes.plansRead, BillingScopes.plansWrite)
export class PaymentSettingsResult {
  @Field(() => PaymentProviderChoice, { description: 'The provider of new checkouts and subscriptions' })
  provider!: PaymentProviderChoice;

  @Field({ description: 'Whether the installation has a Stripe account (STRIPE_SECRET_KEY)' })
  stripeConfigured!: boolean;
}
