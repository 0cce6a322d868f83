import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireTenant, requireUser, RequiresScopes, SELF_SCOPE, selfOrScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { entityReference, type Reference } from '../../../src/federation/entity-reference';
import { DomainError } from '../../../src/errors';
import { checkPage } from '../../../src/federation/paging';
import { serverScopes } from '../../../src/identity';
import { Agent } from './agent.entity';
import { AvailableAgentsArgs, CreateAgentInput, UpdateAgentInput } from './agent.inputs';
import type { AgentService } from './agent.service';
import { AgentsScopes } from '../agents.scopes';

export const EndUser = entityReference('EndUser');

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

    @RequiresScopes(SELF_SCOPE)
    @Query(() => [Agent], { description: 'Active agents the signed-in end user may chat with, oldest first' })
    availableAgents(@Args(() => AvailableAgentsArgs) { skip, limit }: InstanceType<typeof AvailableAgentsArgs>, @Ctx() { identity }: SubgraphContext): Promise<Agent[]> {
      return agents.available(requireUser(identity).tenantId, skip, limit);
    }

    @RequiresScopes(AgentsScopes.agentsRead, SELF_SCOPE)
    @Query(() => Agent, { description: 'An agent; end users see only active ones' })
    async agent(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<Agent> {
      const tenantId = requireTenant(identity);
      if (!serverScopes(identity).length) return agents.activeOrNotFound(tenantId, id);
      const agent = await agents.byId(tenantId, id);
      if (!agent) throw new DomainError('NOT_FOUND', 'Agent not found');
      return agent;
    }

    @RequiresScopes(AgentsScopes.agentsWrite)
    @Mutation(() => Agent)
    createAgent(@Arg('input') input: CreateAgentInput, @Ctx() { identity }: SubgraphContext): Promise<Agent> {
      return agents.create(requireTenant(identity), input);
    }

    @RequiresScopes(AgentsScopes.agentsWrite)
    @Mutation(() => Agent, { description: 'Changes the given settings; absent ones stay as they are' })
    updateAgent(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateAgentInput, @Ctx() { identity }: SubgraphContext): Promise<Agent> {
      return agents.update(requireTenant(identity), id, input);
    }

    @RequiresScopes(AgentsScopes.agentsWrite)
    @Mutation(() => Boolean, { description: 'Deletes the agent with its conversations and execution history' })
    deleteAgent(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<boolean> {
      return agents.delete(requireTenant(identity), id);
    }

    @FieldResolver(() => EndUser, { nullable: true, description: 'The end user who owns the agent (tenancy)' })
    owner(@Root() agent: Agent): Reference | null {
      return agent.ownerUserId ? { id: agent.ownerUserId } : null;
    }

    @FieldResolver(() => ID, { nullable: true, description: 'Id of the end user who owns the agent (created_by in REST)' })
    createdBy(@Root() agent: Agent): string | null {
      return agent.ownerUserId;
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
