import { Field, Float, ID, ObjectType } from 'type-graphql';
import { RequiresScopes } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { BillingScopes } from '../billing.scopes';

/** One metered quantity (messages, tokens, end users, ...) for an organization and/or end user. */
@ObjectType()
@RequiresScopes(BillingScopes.usageRead, BillingScopes.usageWrite)
@Entity({ name: 'usage_records' })
export class UsageRecord {
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

  @Field()
  @Column('text')
  metric!: string;

  @Field(() => Float)
  @Column('numeric', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  quantity!: number;

  @Column('uuid', { name: 'source_event_id', nullable: true })
  sourceEventId!: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
