import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int } from 'type-graphql';
import { IsUUID } from 'class-validator';
import { MESSAGES } from '../../../src/federation/input-validation';

export const CURRENCIES = ['usd', 'eur', 'gbp'] as const;

@InputType({ description: 'Prices in major units (29.99), at most two decimals; limits per calendar or billing month' })
export class CreatePlanInput {
  @Length(1, 100, MESSAGES.length(1, 100))
  @Field()
  name!: string;

  @IsOptional()
  @Length(0, 1000, MESSAGES.length(0, 1000))
  @Field(() => String, { nullable: true })
  description?: string | null;

  @Min(0, { message: 'must not be negative' })
  @Field(() => Float)
  priceMonthly!: number;

  @Min(0, { message: 'must not be negative' })
  @Field(() => Float)
  priceYearly!: number;

  @IsIn(CURRENCIES, { message: `must be one of ${CURRENCIES.join(', ')}` })
  @Field({ defaultValue: 'usd' })
  currency!: string;

  @IsBoolean()
  @Field({ defaultValue: false })
  isFree!: boolean;

  @ArrayMaxSize(50, { message: 'must have at most 50 features' })
  @IsString({ each: true, message: 'must be strings' })
  @Field(() => [String], { defaultValue: [] })
  features!: string[];

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must not be negative' })
  @Field(() => Float, { nullable: true })
  maxMessagesPerMonth?: number | null;

  @IsOptional()
  @Min(0, { message: 'must not be negative' })
  @Field(() => Float, { nullable: true, description: 'USD, at most six decimals' })
  maxCostUsdPerMonth?: number | null;

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must not be negative' })
  @Field(() => Float, { nullable: true })
  maxTokensPerMonth?: number | null;

  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must not be negative' })
  @Max(365, { message: 'must be at most 365' })
  @Field(() => Int, { defaultValue: 0 })
  trialDays!: number;
}

@InputType({ description: 'Only the fields given change' })
export class UpdatePlanInput {
  @IsOptional()
  @Length(1, 100, MESSAGES.length(1, 100))
  @Field({ nullable: true })
  name?: string;

  @IsOptional()
  @Length(0, 1000, MESSAGES.length(0, 1000))
  @Field(() => String, { nullable: true })
  description?: string | null;

  @IsOptional()
  @Min(0, { message: 'must not be negative' })
  @Field(() => Float, { nullable: true })
  priceMonthly?: number;

  @IsOptional()
  @Min(0, { message: 'must not be negative' })
  @Field(() => Float, { nullable: true })
  priceYearly?: number;

  @IsOptional()
  @ArrayMaxSize(50, { message: 'must have at most 50 features' })
  @IsString({ each: true, message: 'must be strings' })
  @Field(() => [String], { nullable: true })
  features?: string[];

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must not be negative' })
  @Field(() => Float, { nullable: true })
  maxMessagesPerMonth?: number | null;

  @IsOptional()
  @Min(0, { message: 'must not be negative' })
  @Field(() => Float, { nullable: true })
  maxCostUsdPerMonth?: number | null;

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must not be negative' })
  @Field(() => Float, { nullable: true })
  maxTokensPerMonth?: number | null;
}

@ArgsType()
export class PlanArgs {
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID)
  planId!: string;
}

@ArgsType()
export class PlanListArgs {
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must not be negative' })
  @Field(() => Int, { defaultValue: 0 })
  skip!: number;

  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(1000, { message: 'must be at most 1000' })
  @Field(() => Int, { defaultValue: 100 })
  limit!: number;

  @IsBoolean()
  @Field({ defaultValue: false })
  includeInactive!: boolean;
}
