import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SELF_SCOPE, RequiresScopes } from '../../../src/federation/access';

export enum ExecutionStatus {
  SUCCESS = 'SUCCESS',
  FAILED = 'FAILED',
  PENDING = 'PENDING',
}
registerEnumType(ExecutionStatus, { name: 'ExecutionStatus' });

/** One chat call: what the user said, what the model answered, its usage and cost. */
@ObjectType({ description: 'One chat call with an agent, successful or failed' })
@RequiresScopes(SELF_SCOPE)
@Entity({ name: 'executions' })
export class AgentExecution {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'agent_id' })
  agentId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { name: 'conversation_id', nullable: true })
  conversationId!: string | null;

  @Field()
  @Column('text', { name: 'input_text' })
  inputText!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'output_text', nullable: true })
  outputText!: string | null;

  @Field()
  @Column('text')
  model!: string;

  @Field(() => Int)
  @Column('int', { name: 'input_tokens', default: 0 })
  inputTokens!: number;

  @Field(() => Int)
  @Column('int', { name: 'output_tokens', default: 0 })
  outputTokens!: number;

  @Field(() => Int, { description: 'Input plus output tokens' })
  get tokensUsed(): number {
    return this.inputTokens + this.outputTokens;
  }

  @Field(() => Int, { description: 'Cost in millionths of a US dollar, from the configured price table' })
  @Column('bigint', { name: 'cost_micro_usd', default: 0, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  costMicroUsd!: number;

  @Field(() => Int)
  @Column('int', { name: 'execution_time_ms', default: 0 })
  executionTimeMs!: number;

  @Field(() => ExecutionStatus)
  @Column('text')
  status!: ExecutionStatus;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'error_message', nullable: true })
  errorMessage!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Column('jsonb', { nullable: true })
  metadata!: Record<string, unknown> | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
