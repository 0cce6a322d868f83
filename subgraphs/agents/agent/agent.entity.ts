import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgentsScopes } from '../agents.scopes';
import { publicMcpServers, type StoredMcpServer } from './mcp-servers';

// Lowercase values on the wire, as the REST contract documents them.
export enum AgentResponseType {
  text = 'text',
  audio = 'audio',
  video = 'video',
}
registerEnumType(AgentResponseType, { name: 'AgentResponseType' });

/** Where an agent retrieves context from (retrieval itself comes in a later issue). */
export enum RagProvider {
  NONE = 'NONE',
  GOOGLE_FILE_SEARCH = 'GOOGLE_FILE_SEARCH',
}
registerEnumType(RagProvider, { name: 'RagProvider' });

@ObjectType({ description: "An AI agent that a tenant's end users chat with" })
@Directive('@key(fields: "id")')
@RequiresScopes(AgentsScopes.agentsRead, AgentsScopes.agentsWrite, SELF_SCOPE)
@Entity({ name: 'agents' })
export class Agent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'tenant_id' })
  tenantId!: string;

  @Column('uuid', { name: 'owner_user_id', nullable: true })
  ownerUserId!: string | null;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field({ description: 'Model identifier, e.g. gpt-4o-mini' })
  @Column('text')
  model!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'system_prompt', nullable: true })
  systemPrompt!: string | null;

  @Field(() => Float, { nullable: true, description: 'Sampling temperature; the model default when null' })
  @Column('double precision', { nullable: true })
  temperature!: number | null;

  @Field(() => AgentResponseType)
  @Column('text', { name: 'response_type', default: AgentResponseType.text })
  responseType!: AgentResponseType;

  @Field({ description: 'Inactive agents are hidden from end users and refuse chats' })
  @Column('boolean', { name: 'is_active', default: true })
  isActive!: boolean;

  @Field(() => RagProvider)
  @Column('text', { name: 'rag_provider', default: RagProvider.NONE })
  ragProvider!: RagProvider;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Column('jsonb', { name: 'rag_config', nullable: true })
  ragConfig!: Record<string, unknown> | null;

  /** As stored: credentials sealed (mcp-servers.ts). */
  @Column('jsonb', { name: 'mcp_servers', default: () => "'[]'" })
  mcpServersStored!: StoredMcpServer[];

  @Field(() => [GraphQLJSONObject], {
    description: 'MCP servers (Streamable HTTP) whose tools the agent may call: {name, url, description?, headers?, bearer_token?}; credential values are masked',
  })
  get mcpServers(): Array<Record<string, unknown>> {
    return publicMcpServers(this.mcpServersStored ?? []);
  }

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
