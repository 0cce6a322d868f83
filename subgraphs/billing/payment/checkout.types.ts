import { IsUrl, IsUUID } from 'class-validator';
import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { Authenticated } from '../../../src/federation/access';
import { MESSAGES, OptionalUuid } from '../../../src/federation/input-validation';
import { BillingCycle } from '../subscription/subscription.entity';

const HTTP_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

@ArgsType()
class CheckoutUrls {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  planId!: string;

  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @Field({ description: 'Where the checkout page sends the customer after paying' })
  successUrl!: string;

  @IsUrl(HTTP_URL, MESSAGES.httpUrl)
  @Field({ description: 'Where the checkout page sends the customer when they give up' })
  cancelUrl!: string;

  @Field(() => BillingCycle, { defaultValue: BillingCycle.monthly })
  billingCycle!: BillingCycle;
}

@ArgsType()
export class StartCheckoutArgs extends CheckoutUrls {
  @OptionalUuid({ description: "For an organization's subscription (needs BILLING_MANAGE there); else the user's own" })
  organizationId?: string | null;
}

@ArgsType()
export class ServerCheckoutArgs extends CheckoutUrls {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { description: 'The end user buying' })
  userId!: string;

  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { description: 'The organization to subscribe' })
  organizationId!: string;
}

@ArgsType()
export class CheckoutSessionArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  sessionId!: string;
}

@ObjectType({ description: 'A started checkout: send the customer to checkoutUrl' })
@Authenticated()
export class StartedCheckoutResult {
  @Field()
  checkoutUrl!: string;

  @Field()
  sessionId!: string;

  @Field()
  planName!: string;

  @Field({ description: 'Display price ("$29.99/month")' })
  price!: string;

  @Field(() => String, { nullable: true })
  message!: string | null;
}
