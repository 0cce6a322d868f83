import { Matches, Min } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { OptionalUuid } from '../../../src/federation/input-validation';
import { Authenticated, RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { CurrentUsage } from './usage-metering.types';
import { BillingScopes } from '../billing.scopes';

@ObjectType({ description: 'Total quantity of one metric' })
@RequiresScopes(BillingScopes.usageRead, SELF_SCOPE)
export class UsageTotal {
  @Field()
  metric!: string;

  @Field(() => Float)
  quantity!: number;
}

@ObjectType({ description: 'A live usage change for a dashboard' })
@Authenticated()
export class UsageUpdate {
  @Field(() => ID)
  organizationId!: string;

  @Field()
  metric!: string;

  @Field(() => Float, { description: 'Quantity added by this change' })
  quantity!: number;

  @Field(() => Float, { description: "The organization's new total for the metric" })
  total!: number;

  @Field()
  recordedAt!: Date;

  @Field(() => CurrentUsage, { description: "The organization's current usage after the change (as /v1/api/usage/current)" })
  usage!: CurrentUsage;
}

@InputType()
export class RecordUsageInput {
  @Matches(/^[a-z][a-z0-9_.:-]{0,63}$/, { message: 'must be a lowercase identifier' })
  @Field()
  metric!: string;

  @Min(0, { message: 'must be a non-negative number' })
  @Field(() => Float)
  quantity!: number;

  @OptionalUuid()
  organizationId?: string | null;

  @OptionalUuid()
  userId?: string | null;
}

@ArgsType()
export class UsageTotalsArgs {
  @OptionalUuid()
  organizationId?: string | null;

  @OptionalUuid()
  userId?: string | null;
}
