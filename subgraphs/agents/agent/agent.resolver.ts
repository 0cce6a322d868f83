import { Length, Matches } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireTenant, RequiresScopes, SELF_SCOPE, selfOrScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { MESSAGES, OptionalUuid } from '../../../src/federation/input-validation';
import { entityReference, type Reference } from '../../../src/federation/entity-reference';
import { DomainError } from '../../../src/errors';
import { checkPage } from '../../../src/federation/paging';
import { Agent } from './agent.entity';
import type { AgentService } from './agent.service';
import { AgentsScopes } from '../agents.scopes';

export const EndUser = entityReference('EndUser');

@InputType()
class CreateAgentInput {
  @Length(1, 100, MESSAGES.length(1, 100))
  @Matches(/\S/, { message: 'must not be blank' })
  @Field()
  name!: string;

  @Matches(/^[\w.:/-]{1,100}$/, { message: 'must be a model identifier' })
  @Field()
  model!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  systemPrompt?: string | null;

  @OptionalUuid({ description: 'End user who owns the agent' })
  ownerUserId?: string | null;
}

export function createAgentResolvers(agents: AgentService) {
  @Resolver(() => Agent)
  class AgentResolver {
    @RequiresScopes(AgentsScopes.agentsRead)
    @Query(() => [Agent], { description: "The tenant's agents, oldest first" })
    agents(
      @Arg('first', () => Int, { defaultValue: 25 }) first: number,
      @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<Agent[]> {
      checkPage(first, offset);
      return agents.list(requireTenant(identity), first, offset);
    }

    @RequiresScopes(AgentsScopes.agentsRead)
    @Query(() => Agent)
    async agent(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<Agent> {
      const agent = await agents.byId(requireTenant(identity), id);
      if (!agent) throw new DomainError('NOT_FOUND', 'Agent not found');
      return agent;
    }

    @RequiresScopes(AgentsScopes.agentsWrite)
    @Mutation(() => Agent)
    createAgent(@Arg('input') input: CreateAgentInput, @Ctx() { identity }: SubgraphContext): Promise<Agent> {
      return agents.create(requireTenant(identity), input);
    }

    @FieldResolver(() => EndUser, { nullable: true, description: 'The end user who owns the agent (tenancy)' })
    owner(@Root() agent: Agent): Reference | null {
      return agent.ownerUserId ? { id: agent.ownerUserId } : null;
    }
  }

  @Resolver(() => EndUser)
  class EndUserAgentsResolver {
    @RequiresScopes(AgentsScopes.agentsRead, SELF_SCOPE)
    @FieldResolver(() => [Agent], { description: 'Agents the end user owns (agents)' })
    agents(@Root() user: Reference, @Ctx() context: SubgraphContext): Promise<Agent[]> {
      const tenantId = context.identity.tenantId;
      return tenantId && selfOrScope(context.identity, AgentsScopes.agentsRead, user.id) ? agents.ownedBy(context, tenantId, user.id) : Promise.resolve([]);
    }
  }

  return [AgentResolver, EndUserAgentsResolver] as const;
}
