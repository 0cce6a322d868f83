import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SELF_SCOPE, RequiresScopes } from '../../../src/federation/access';

export enum ConversationStatus {
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
}
registerEnumType(ConversationStatus, { name: 'ConversationStatus' });

/** A persistent chat session of one end user with one agent. */
@ObjectType({ description: 'A chat session of an end user with an agent; its messages are injected into each chat' })
@RequiresScopes(SELF_SCOPE)
@Entity({ name: 'conversations' })
export class Conversation {
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

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  title!: string | null;

  @Field(() => ConversationStatus)
  @Column('text', { default: ConversationStatus.ACTIVE })
  status!: ConversationStatus;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** One message of a conversation, in the order it was said. */
@ObjectType({ description: 'A message of a conversation' })
@RequiresScopes(SELF_SCOPE)
@Entity({ name: 'messages' })
export class ConversationMessage {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('uuid', { name: 'conversation_id' })
  conversationId!: string;

  @Column({ type: 'int', insert: false, update: false })
  position!: number;

  @Field({ description: 'system, user or assistant' })
  @Column('text')
  role!: string;

  @Field()
  @Column('text')
  content!: string;

  @Field(() => Int)
  @Column('int', { name: 'tokens_used', default: 0 })
  tokensUsed!: number;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Column('jsonb', { nullable: true })
  metadata!: Record<string, unknown> | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
