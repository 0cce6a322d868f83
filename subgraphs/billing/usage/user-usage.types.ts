import { IsUUID } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, Float, ID, ObjectType } from 'type-graphql';
import { Authenticated } from '../../../src/federation/access';
import { MESSAGES } from '../../../src/federation/input-validation';
import { UsageCheck } from './usage-metering.types';

@ArgsType()
export class UserUsageArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  userId!: string;
}

@ObjectType({ description: "A user's own plan usage in the current period of their own subscription (001 /v1/subscriptions/users/{user_id}/usage)" })
@Authenticated()
export class UserPlanUsage {
  @Field(() => ID, { description: "The user's subscription, whose period this is" })
  id!: string;

  @Field(() => ID, { nullable: true, description: 'Always null: usage of the user on their own, outside organizations' })
  organizationId!: string | null;

  @Field(() => ID)
  userId!: string;

  @Field(() => ID, { nullable: true })
  planId!: string | null;

  @Field()
  periodStart!: Date;

  @Field()
  periodEnd!: Date;

  @Field(() => Float)
  messagesCount!: number;

  @Field(() => Float)
  tokensCount!: number;

  @Field(() => GraphQLJSONObject, { description: 'The other meters: input_tokens, output_tokens, cost_usd, api_calls, storage_bytes' })
  usageMetadata!: Record<string, number>;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType({ description: "The limits of the user's plan with what is used of them this period" })
@Authenticated()
export class UserPlanLimits {
  @Field(() => ID, { nullable: true })
  planId!: string | null;

  @Field(() => String, { nullable: true })
  planName!: string | null;

  @Field()
  periodStart!: Date;

  @Field()
  periodEnd!: Date;

  @Field(() => UsageCheck)
  messages!: UsageCheck;

  @Field(() => UsageCheck)
  tokens!: UsageCheck;

  @Field(() => UsageCheck, { description: 'Cost in micro-dollars against the plan’s monthly budget' })
  costMicroUsd!: UsageCheck;
}

@ObjectType()
@Authenticated()
export class UserUsageLimits {
  @Field(() => UserPlanLimits)
  limits!: UserPlanLimits;
}
