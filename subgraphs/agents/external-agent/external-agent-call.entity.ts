import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { AgentsScopes } from '../agents.scopes';

/** numeric keeps the reported cost exact; the API answers it as a number. */
const decimal = { to: (value: number) => value, from: (value: string | null) => (value === null ? 0 : Number(value)) };

/** One call of an agent that runs outside the platform (e.g. an n8n workflow), reported for analytics; never billed. */
@ObjectType({ description: 'A reported call of an external agent (analytics only: the tenant pays its AI provider directly)' })
@RequiresScopes(AgentsScopes.agentsRead, SELF_SCOPE)
@Entity({ name: 'external_agent_calls' })
export class ExternalAgentCall {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID, { description: 'The external agent, as its caller identifies it' })
  @Column('uuid', { name: 'external_agent_id' })
  externalAgentId!: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'user_id', nullable: true })
  userId!: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Field(() => Int)
  @Column('integer', { name: 'input_tokens' })
  inputTokens!: number;

  @Field(() => Int)
  @Column('integer', { name: 'output_tokens' })
  outputTokens!: number;

  @Field(() => Int)
  @Column('integer', { name: 'total_tokens' })
  totalTokens!: number;

  @Field(() => Float, { description: 'US dollars, as reported' })
  @Column('numeric', { name: 'cost_usd', precision: 20, scale: 8, transformer: decimal })
  costUsd!: number;

  @Field(() => Int)
  @Column('integer', { name: 'duration_ms' })
  durationMs!: number;

  @Field({ description: 'SUCCESS or ERROR' })
  @Column('text')
  status!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'error_message', nullable: true })
  errorMessage!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Column('jsonb', { name: 'call_metadata', nullable: true })
  callMetadata!: Record<string, unknown> | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
