import { IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Authenticated } from '../../../src/federation/access';
import { FEATURES } from './entitlement-tiers';

const FEATURE_MESSAGE = { message: `must be one of: ${FEATURES.join(', ')}` };

@ObjectType({ description: "Whether the tenant's tier allows more of a feature" })
@Authenticated()
export class EntitlementCheck {
  @Field() allowed!: boolean;
  @Field() feature!: string;
  @Field(() => String, { nullable: true, description: 'LIMIT_EXCEEDED when not allowed' }) reason!: string | null;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => Float) currentUsage!: number;
  @Field(() => Float, { nullable: true, description: 'null: unlimited' }) limit!: number | null;
  @Field(() => Float, { nullable: true }) available!: number | null;
  @Field(() => String, { nullable: true }) upgradeUrl!: string | null;
}

@ObjectType({ description: 'Usage recorded against a feature' })
@Authenticated()
export class EntitlementUsage {
  @Field() recorded!: boolean;
  @Field() feature!: string;
  @Field(() => Float) currentUsage!: number;
  @Field(() => Float, { nullable: true }) limit!: number | null;
}

@ObjectType({ description: "The tenant's usage of every feature against its tier" })
@Authenticated()
export class EntitlementSummary {
  @Field(() => ID) workspaceId!: string;
  @Field() tier!: string;
  @Field(() => GraphQLJSONObject, { description: 'By feature: used, limit, available, percentage, and reset_at (monthly) or unit' })
  entitlements!: Record<string, unknown>;
}

@ArgsType()
export class EntitlementCheckArgs {
  @IsIn(FEATURES, FEATURE_MESSAGE)
  @Field()
  feature!: string;

  @IsInt({ message: 'must be an integer' }) @Min(1, { message: 'must be at least 1' })
  @Field(() => Int, { defaultValue: 1 })
  quantity!: number;
}

@ArgsType()
export class EntitlementUsageArgs extends EntitlementCheckArgs {
  @IsOptional()
  @Field(() => GraphQLJSONObject, { nullable: true })
  metadata?: Record<string, unknown> | null;
}
