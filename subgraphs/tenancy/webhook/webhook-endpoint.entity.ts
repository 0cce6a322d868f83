import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { RequiresScopes } from '../../../src/federation/access';
import { TenancyScopes } from '../tenancy.scopes';

@ObjectType({ description: 'Where the workspace receives its events, signed (Standard Webhooks). The secret is shown only at creation and rotation.' })
@RequiresScopes(TenancyScopes.webhooksRead, TenancyScopes.webhooksWrite, TenancyScopes.webhooksDelete)
@Entity({ name: 'webhook_endpoints' })
export class WebhookEndpoint {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field()
  @Column('text')
  url!: string;

  @Field(() => [String], { description: 'Event types, with wildcards: "organization.*", "*"' })
  @Column('text', { array: true })
  events!: string[];

  @Column('text', { select: false })
  secret!: string;

  @Column('text', { name: 'previous_secret', nullable: true, select: false })
  previousSecret!: string | null;

  @Column('timestamptz', { name: 'previous_secret_expires_at', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Field()
  @Column('boolean', { name: 'is_active' })
  isActive!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the platform disabled the endpoint (410 Gone, failing for days)' })
  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  @Field(() => Int)
  @Column('integer', { name: 'success_count' })
  successCount!: number;

  @Field(() => Int)
  @Column('integer', { name: 'failure_count' })
  failureCount!: number;

  @Field(() => Int)
  @Column('integer', { name: 'consecutive_failures' })
  consecutiveFailures!: number;

  @Column('timestamptz', { name: 'failing_since', nullable: true })
  failingSince!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'last_delivery_at', nullable: true })
  lastDeliveryAt!: Date | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
