import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { ORGANIZATION_KEY_SCOPES } from '../../../src/federation/organization-access';
import { BillingScopes } from '../billing.scopes';
import { formatMinor, priceDisplay, toMajorUnits } from './money';

/** bigint columns as numbers (every amount here stays far below 2^53). */
export const bigintAsNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** A price list entry of the tenant: what a subscription pays each period, and its usage limits. */
@ObjectType({ description: 'A subscription plan of the tenant: prices (minor units and major), features and monthly usage limits' })
// readable wherever a plan shows up: pricing pages (sessions), subscriptions (keys that read them)
@RequiresScopes(
  BillingScopes.plansRead, BillingScopes.plansWrite, BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite,
  ORGANIZATION_KEY_SCOPES.read, ORGANIZATION_KEY_SCOPES.write, SELF_SCOPE,
)
@Entity({ name: 'plans', schema: 'billing' })
export class Plan {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => Int, { description: 'Monthly price in minor units (cents)' })
  @Column('bigint', { name: 'price_monthly_minor', transformer: bigintAsNumber })
  priceMonthlyCents!: number;

  @Field(() => Int, { description: 'Yearly price in minor units (cents)' })
  @Column('bigint', { name: 'price_yearly_minor', transformer: bigintAsNumber })
  priceYearlyCents!: number;

  @Field({ description: 'ISO 4217 code, lower case (usd)' })
  @Column('text')
  currency!: string;

  @Field()
  @Column('boolean', { name: 'is_free' })
  isFree!: boolean;

  @Field({ description: "The free plan every tenant starts with (new subscribers' fallback)" })
  @Column('boolean', { name: 'is_default' })
  isDefault!: boolean;

  @Field(() => [String])
  @Column('jsonb')
  features!: string[];

  @Field(() => Float, { nullable: true })
  @Column('bigint', { name: 'max_messages_per_month', nullable: true, transformer: bigintAsNumber })
  maxMessagesPerMonth!: number | null;

  @Field(() => Float, { nullable: true, description: 'Deprecated by the documents in favour of maxCostUsdPerMonth' })
  @Column('bigint', { name: 'max_tokens_per_month', nullable: true, transformer: bigintAsNumber })
  maxTokensPerMonth!: number | null;

  @Column('bigint', { name: 'max_cost_micro_usd_per_month', nullable: true, transformer: bigintAsNumber })
  maxCostMicroUsdPerMonth!: number | null;

  @Field(() => Int, { description: 'Days of trial a new subscription gets (0: none)' })
  @Column('int', { name: 'trial_days' })
  trialDays!: number;

  @Field(() => String, { nullable: true, description: "The payment provider's product (Stripe: prod_…); null with the local provider" })
  @Column('text', { name: 'provider_product_id', nullable: true })
  providerProductId!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'provider_price_id_monthly', nullable: true })
  providerPriceIdMonthly!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'provider_price_id_yearly', nullable: true })
  providerPriceIdYearly!: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'archived_at', nullable: true })
  archivedAt!: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Field({ description: 'Not archived: open to new subscriptions' })
  get isActive(): boolean {
    return this.archivedAt === null;
  }

  @Field(() => Float, { description: 'Monthly price in major units (29.99)' })
  get priceMonthly(): number {
    return toMajorUnits(this.priceMonthlyCents);
  }

  @Field(() => Float, { description: 'Yearly price in major units' })
  get priceYearly(): number {
    return toMajorUnits(this.priceYearlyCents);
  }

  @Field({ description: 'The monthly price for people ("$29.99/month", "Free")' })
  get priceDisplay(): string {
    return priceDisplay(this.priceMonthlyCents, this.currency);
  }

  @Field(() => Float, { nullable: true, description: 'Maximum AI usage cost per month, USD' })
  get maxCostUsdPerMonth(): number | null {
    return this.maxCostMicroUsdPerMonth === null ? null : Number(formatMinor(this.maxCostMicroUsdPerMonth, 6));
  }
}
