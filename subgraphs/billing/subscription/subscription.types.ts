import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { Authenticated } from '../../../src/federation/access';
import { MESSAGES, OptionalUuid } from '../../../src/federation/input-validation';
import { Plan } from '../plan/plan.entity';
import { Invoice } from './invoice.entity';
import { BillingCycle, BillingSubscription } from './subscription.entity';

@ArgsType()
export class OrganizationBillingArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  organizationId!: string;
}

@ArgsType()
export class SubscriptionArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  subscriptionId!: string;
}

@ArgsType()
export class SubscribeArgs extends OrganizationBillingArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  planId!: string;

  @Field(() => BillingCycle, { defaultValue: BillingCycle.monthly })
  billingCycle!: BillingCycle;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Free-form metadata kept on the subscription' })
  metadata?: Record<string, unknown> | null;
}

@ArgsType()
export class SubscriptionChangeFields {
  @OptionalUuid({ description: 'Upgrades apply now (prorated), downgrades at the period end' })
  planId?: string | null;

  @Field(() => BillingCycle, { nullable: true, description: 'Takes effect from the next period' })
  billingCycle?: BillingCycle | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Replaces the metadata' })
  metadata?: Record<string, unknown> | null;
}

@ArgsType()
export class UpdateOrganizationSubscriptionArgs extends SubscriptionChangeFields {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  organizationId!: string;
}

@ArgsType()
export class UpdateSubscriptionArgs extends SubscriptionChangeFields {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  subscriptionId!: string;
}

@ArgsType()
export class CancelArgs {
  @Field({ defaultValue: true, description: 'true: access continues until the period ends; false: cancelled now' })
  cancelAtPeriodEnd!: boolean;
}

@ArgsType()
export class CancelOrganizationArgs extends CancelArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  organizationId!: string;
}

@ArgsType()
export class CancelSubscriptionArgs extends CancelArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  subscriptionId!: string;
}

/** 001's server endpoints name the end user on whose behalf the tenant's server acts. */
@ArgsType()
export class ServerOrganizationArgs extends OrganizationBillingArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { description: 'The end user the request is made for (recorded by the caller; the key is what is authorized)' })
  userId!: string;
}

@ArgsType()
export class ServerCancelOrganizationArgs extends ServerOrganizationArgs {
  @Field({ defaultValue: true })
  cancelAtPeriodEnd!: boolean;
}

@ArgsType()
export class InvoiceListArgs extends OrganizationBillingArgs {
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(100, { message: 'must be at most 100' })
  @Field(() => Int, { defaultValue: 20 })
  limit!: number;
}

@ArgsType()
export class ServerInvoiceListArgs extends InvoiceListArgs {
  @OptionalUuid({ description: 'The end user the request is made for' })
  userId?: string | null;
}

@ArgsType()
export class ChangePlanArgs extends SubscriptionArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  newPlanId!: string;
}

@ArgsType()
export class AssignUserPlanArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  userId!: string;

  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  planId!: string;
}

@ObjectType({ description: 'What cancelling did' })
@Authenticated()
export class CancelSubscriptionResult {
  @Field()
  success!: boolean;

  @Field()
  message!: string;

  @Field()
  cancelAtPeriodEnd!: boolean;

  @Field(() => BillingSubscription)
  subscription!: BillingSubscription;
}

@ObjectType({ description: 'What a plan change did: upgrades now, downgrades at the period end' })
@Authenticated()
export class ChangePlanResult {
  @Field()
  success!: boolean;

  @Field()
  message!: string;

  @Field()
  planName!: string;

  @Field({ description: 'now or period_end' })
  effective!: string;

  @Field(() => ID)
  subscriptionId!: string;

  @Field(() => String, { nullable: true })
  providerSubscriptionId!: string | null;

  @Field(() => String)
  status!: string;

  @Field()
  cancelAtPeriodEnd!: boolean;

  @Field(() => BillingSubscription)
  subscription!: BillingSubscription;
}

@ObjectType({ description: "A user's personal plan assignment" })
@Authenticated()
export class AssignedPlan {
  @Field()
  success!: boolean;

  @Field(() => ID)
  userId!: string;

  @Field(() => ID)
  planId!: string;
}

@ObjectType({ description: 'The plans a subscription may move to' })
@Authenticated()
export class AvailablePlans {
  @Field()
  success!: boolean;

  @Field(() => [Plan])
  plans!: Plan[];
}

@ObjectType({ description: "An organization's invoices, newest first" })
@Authenticated()
export class BillingHistory {
  @Field()
  success!: boolean;

  @Field(() => ID)
  organizationId!: string;

  @Field(() => [Invoice])
  invoices!: Invoice[];

  @Field(() => Int)
  totalInvoices!: number;
}
