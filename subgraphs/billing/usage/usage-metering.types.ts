import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { GraphQLScalarType, Kind } from 'graphql';
import { ArgsType, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Authenticated } from '../../../src/federation/access';
import { MESSAGES } from '../../../src/federation/input-validation';
import { USAGE_TYPES } from './meters';

/** A limit as the BaaS API shows it: a number, or the string "unlimited". */
export const LimitValue = new GraphQLScalarType({
  name: 'LimitValue',
  description: 'A number, or "unlimited"',
  serialize: (value) => (value === null || value === undefined || value === 'unlimited' ? 'unlimited' : Number(value)),
  parseValue: (value) => value,
  parseLiteral: (ast) => (ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? Number(ast.value) : 'unlimited'),
});
export type Limit = number | 'unlimited';

@ObjectType({ description: 'One limited meter of the current period' })
@Authenticated()
export class MeterUsage {
  @Field(() => Float) current!: number;
  @Field(() => LimitValue) max!: Limit;
  @Field(() => LimitValue) remaining!: Limit;
  @Field(() => Float, { description: 'Share of the limit used, 0-100 (0 when unlimited)' }) percentage!: number;
}

@ObjectType()
@Authenticated()
export class TokenUsage {
  @Field(() => Float) total!: number;
  @Field(() => Float) input!: number;
  @Field(() => Float) output!: number;
}

@ObjectType({ description: 'The meters of a period, limited ones against their limit' })
@Authenticated()
export class UsageMeters {
  @Field(() => MeterUsage) messages!: MeterUsage;
  @Field(() => MeterUsage, { description: 'In USD' }) costUsd!: MeterUsage;
  @Field(() => TokenUsage) tokens!: TokenUsage;
  @Field(() => Float) apiCalls!: number;
  @Field(() => Float) storageBytes!: number;
}

@ObjectType({ description: "An organization's usage in its current billing period, against its plan's limits" })
@Authenticated()
export class CurrentUsage {
  @Field(() => ID) organizationId!: string;
  @Field() periodStart!: Date;
  @Field() periodEnd!: Date;
  @Field(() => ID, { nullable: true }) planId!: string | null;
  @Field(() => String, { nullable: true }) planName!: string | null;
  @Field(() => UsageMeters) usage!: UsageMeters;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType({ description: 'Every meter of one owner in one period' })
@Authenticated()
export class MeterTotals {
  @Field() periodStart!: Date;
  @Field() periodEnd!: Date;
  @Field(() => Float) messages!: number;
  @Field(() => Float, { description: 'Input plus output tokens, and tokens consumed directly' }) tokens!: number;
  @Field(() => Float) inputTokens!: number;
  @Field(() => Float) outputTokens!: number;
  @Field(() => Float, { description: 'In USD' }) costUsd!: number;
  @Field(() => Float) apiCalls!: number;
  @Field(() => Float) storageBytes!: number;
}

@ObjectType({ description: 'One billing period of usage history' })
@Authenticated()
export class UsagePeriod extends MeterTotals {
  @Field(() => ID) organizationId!: string;
  @Field() updatedAt!: Date;
}

@ObjectType()
@Authenticated()
export class UsageStatsByType {
  @Field(() => MeterTotals) organization!: MeterTotals;
  @Field(() => MeterTotals, { nullable: true, description: "The signed-in user's own usage in the organization" }) user!: MeterTotals | null;
}

@ObjectType({ description: 'Usage statistics of the organization and of the signed-in user' })
@Authenticated()
export class UsageStats {
  @Field() periodStart!: Date;
  @Field() periodEnd!: Date;
  @Field(() => ID, { nullable: true }) planId!: string | null;
  @Field(() => String, { nullable: true }) planName!: string | null;
  @Field(() => UsageStatsByType) usage!: UsageStatsByType;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType({ description: 'Whether an amount fits in the remaining limit' })
@Authenticated()
export class UsageCheck {
  @Field() allowed!: boolean;
  @Field() usageType!: string;
  @Field(() => Float) currentUsage!: number;
  @Field(() => LimitValue) maxLimit!: Limit;
  @Field(() => LimitValue) remaining!: Limit;
  @Field(() => Float, { nullable: true }) requested!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType({ description: 'Usage consumed against the limit' })
@Authenticated()
export class UsageConsumption {
  @Field() success!: boolean;
  @Field(() => Float, { nullable: true }) consumed!: number | null;
  @Field(() => String, { nullable: true }) usageType!: string | null;
  @Field() allowed!: boolean;
  @Field(() => UsageCheck, { description: 'The limit after consuming' }) limits!: UsageCheck;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType()
@Authenticated()
export class OrganizationUsage {
  @Field(() => CurrentUsage) usageStats!: CurrentUsage;
}

@ObjectType()
@Authenticated()
export class OrganizationUserUsage {
  @Field(() => ID) userId!: string;
  @Field(() => MeterTotals) usage!: MeterTotals;
}

@ObjectType()
@Authenticated()
export class UsageLimitChecks {
  @Field(() => UsageCheck) messages!: UsageCheck;
  @Field(() => UsageCheck) tokens!: UsageCheck;
}

@ObjectType()
@Authenticated()
export class OrganizationUsageCheck {
  @Field() wouldExceed!: boolean;
  @Field(() => UsageLimitChecks) limits!: UsageLimitChecks;
}

@ArgsType()
export class OrganizationArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  organizationId!: string;
}

@ArgsType()
export class UsageHistoryArgs extends OrganizationArgs {
  @IsInt() @Min(1, { message: 'must be at least 1' }) @Max(100, { message: 'must be at most 100' })
  @Field(() => Int, { defaultValue: 20 })
  limit!: number;

  @IsInt() @Min(0, { message: 'must not be negative' })
  @Field(() => Int, { defaultValue: 0 })
  offset!: number;
}

@ArgsType()
export class OrganizationUserArgs extends OrganizationArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  userId!: string;
}

@ArgsType()
export class OrganizationUsageCheckArgs extends OrganizationArgs {
  @IsInt() @Min(0, { message: 'must not be negative' })
  @Field(() => Int, { defaultValue: 0 })
  additionalMessages!: number;

  @IsInt() @Min(0, { message: 'must not be negative' })
  @Field(() => Int, { defaultValue: 0 })
  additionalTokens!: number;
}

const USAGE_TYPE_NAMES = Object.keys(USAGE_TYPES);

/** `/v1/usage/check` and `/consume`: an amount of one usage type for a user of an organization. */
@ArgsType()
export class UsageAmountArgs extends OrganizationUserArgs {
  @IsInt({ message: 'must be an integer' }) @Min(1, { message: 'must be greater than 0' })
  @Field(() => Int)
  tokens!: number;

  @IsIn(USAGE_TYPE_NAMES, { message: `must be one of: ${USAGE_TYPE_NAMES.join(', ')}` })
  @Field(() => String, { defaultValue: 'tokens' })
  usageType!: string;
}
