import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AgentsScopes } from '../agents.scopes';

@ObjectType({ description: "An AI agent that a tenant's end users chat with" })
@Directive('@key(fields: "id")')
@RequiresScopes(AgentsScopes.agentsRead, AgentsScopes.agentsWrite, SELF_SCOPE)
@Entity({ name: 'agents' })
export class Agent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

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

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
