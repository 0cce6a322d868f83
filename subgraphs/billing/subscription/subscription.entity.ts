import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { ORGANIZATION_KEY_SCOPES } from '../../../src/federation/organization-access';
import { BillingScopes } from '../billing.scopes';

export const SUBSCRIPTION_STATUSES = ['active', 'trialing', 'past_due', 'cancelled', 'incomplete', 'unpaid'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type BillingInterval = 'month' | 'year';

/** The documents' `billing_cycle` values. */
export enum BillingCycle {
  monthly = 'monthly',
  yearly = 'yearly',
}
registerEnumType(BillingCycle, { name: 'BillingCycle' });
export const intervalOf = (cycle: BillingCycle | null | undefined): BillingInterval => (cycle === BillingCycle.yearly ? 'year' : 'month');

/**
 * An organization's or a user's subscription to a plan (named so because `Subscription` is
 * GraphQL's root type). Root fields decide who may see one (organization role, ownership or a
 * key's scopes); the type admits every caller that can reach one.
 */
@ObjectType({ description: "An organization's or a user's subscription to a plan, with its current billing period" })
@RequiresScopes(BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite, ORGANIZATION_KEY_SCOPES.read, ORGANIZATION_KEY_SCOPES.write, SELF_SCOPE)
@Entity({ name: 'subscriptions', schema: 'billing' })
export class BillingSubscription {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The user of a personal subscription' })
  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Field(() => ID)
  @Column('uuid', { name: 'plan_id' })
  planId!: string;

  @Field(() => ID, { nullable: true, description: 'The plan a downgrade switches to at the end of the current period' })
  @Column('uuid', { name: 'pending_plan_id', nullable: true })
  pendingPlanId!: string | null;

  @Column('text', { name: 'billing_interval' })
  billingInterval!: BillingInterval;

  @Field(() => String, { description: 'active, trialing, past_due, cancelled, incomplete or unpaid' })
  @Column('text')
  status!: SubscriptionStatus;

  @Field()
  @Column('timestamptz', { name: 'current_period_start' })
  currentPeriodStart!: Date;

  @Field()
  @Column('timestamptz', { name: 'current_period_end' })
  currentPeriodEnd!: Date;

  @Field()
  @Column('boolean', { name: 'cancel_at_period_end' })
  cancelAtPeriodEnd!: boolean;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'cancelled_at', nullable: true })
  cancelledAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'trial_start', nullable: true })
  trialStart!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'trial_end', nullable: true })
  trialEnd!: Date | null;

  @Field(() => GraphQLJSONObject)
  @Column('jsonb')
  metadata!: Record<string, unknown>;

  @Field({ description: 'Payment provider: local or stripe' })
  @Column('text')
  provider!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'provider_customer_id', nullable: true })
  providerCustomerId!: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'provider_subscription_id', nullable: true })
  providerSubscriptionId!: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => BillingCycle)
  get billingCycle(): BillingCycle {
    return this.billingInterval === 'year' ? BillingCycle.yearly : BillingCycle.monthly;
  }
}
