import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Authenticated } from '../../../src/federation/access';
import type { BillingInterval } from '../subscription/subscription.entity';

/**
 * A purchase waiting for the customer's confirmation on the provider's page. Its id is the
 * capability: whoever holds the checkout URL may view and confirm it (as with a hosted checkout).
 */
@ObjectType({ description: 'A checkout session: a plan purchase waiting for confirmation on the checkout page' })
@Authenticated()
@Entity({ name: 'checkout_sessions', schema: 'billing' })
export class CheckoutSession {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Field(() => ID)
  @Column('uuid', { name: 'plan_id' })
  planId!: string;

  @Column('text', { name: 'billing_interval' })
  billingInterval!: BillingInterval;

  @Field(() => String, { description: 'open, completed or expired' })
  @Column('text')
  status!: 'open' | 'completed' | 'expired';

  @Field()
  @Column('text', { name: 'success_url' })
  successUrl!: string;

  @Field()
  @Column('text', { name: 'cancel_url' })
  cancelUrl!: string;

  @Field(() => ID, { nullable: true, description: 'The subscription the confirmation created or changed' })
  @Column('uuid', { name: 'subscription_id', nullable: true })
  subscriptionId!: string | null;

  @Column('text')
  provider!: string;

  @Field(() => String, { nullable: true, description: "The payment provider's id of the session (Stripe: cs_…); null with the local provider" })
  @Column('text', { name: 'provider_session_id', nullable: true })
  providerSessionId!: string | null;

  @Field()
  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
