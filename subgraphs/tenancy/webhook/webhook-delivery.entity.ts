import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes } from '../../../src/federation/access';
import { TenancyScopes } from '../tenancy.scopes';

export const DELIVERY_STATUSES = ['pending', 'success', 'failed', 'retrying'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

@ObjectType({ description: 'One event sent to one endpoint, with its latest attempt' })
@RequiresScopes(TenancyScopes.webhooksRead, TenancyScopes.webhooksWrite)
@Entity({ name: 'webhook_deliveries' })
export class WebhookDelivery {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'endpoint_id' })
  endpointId!: string;

  @Field({ description: 'The event id, also sent as `webhook-id` on every attempt' })
  @Column('text', { name: 'event_id' })
  eventId!: string;

  @Field()
  @Column('text', { name: 'event_type' })
  eventType!: string;

  @Column('jsonb')
  payload!: Record<string, unknown>;

  @Column('timestamptz', { name: 'event_created_at' })
  eventCreatedAt!: Date;

  @Field(() => String, { description: 'pending, success, failed or retrying' })
  @Column('text')
  status!: DeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far' })
  @Column('integer')
  attempt!: number;

  @Field(() => Int, { nullable: true })
  @Column('integer', { name: 'response_code', nullable: true })
  responseCode!: number | null;

  @Field(() => String, { nullable: true, description: 'The response body (truncated)' })
  @Column('text', { name: 'response_body', nullable: true })
  responseBody!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed without a response (timeout, connection refused, ...)' })
  @Column('text', { nullable: true })
  error!: string | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'next_retry_at', nullable: true })
  nextRetryAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
