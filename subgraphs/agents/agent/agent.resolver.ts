import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireTenant, secretScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { entityReference, type Reference } from '../../../src/federation/entity-reference';
import { DomainError } from '../../../src/errors';
import { checkPage } from '../../../src/federation/paging';
import { Agent } from './agent.entity';
import type { AgentService } from './agent.service';

export const EndUser = entityReference('EndUser');

@InputType()
class CreateAgentInput {
  @Field()
  name!: string;

  @Field()
  model!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  systemPrompt?: string | null;

  @Field(() => ID, { nullable: true, description: 'End user who owns the agent' })
  ownerUserId?: string | null;
}

export function createAgentResolvers(agents: AgentService) {
  @Resolver(() => Agent)
  class AgentResolver {
    @Authorized(secretScope('agents:read'))
    @Query(() => [Agent], { description: "The tenant's agents, oldest first" })
    agents(
      @Arg('first', () => Int, { defaultValue: 25 }) first: number,
      @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<Agent[]> {
      checkPage(first, offset);
      return agents.list(requireTenant(identity), first, offset);
    }

    @Authorized(secretScope('agents:read'))
    @Query(() => Agent)
    async agent(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<Agent> {
      const agent = await agents.byId(requireTenant(identity), id);
      if (!agent) throw new DomainError('NOT_FOUND', 'Agent not found');
      return agent;
    }

    @Authorized(secretScope('agents:write'))
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
    @FieldResolver(() => [Agent], { description: 'Agents the end user owns (agents)' })
    agents(@Root() user: Reference, @Ctx() context: SubgraphContext): Promise<Agent[]> {
      const tenantId = context.identity.tenantId;
      return tenantId ? agents.ownedBy(context, tenantId, user.id) : Promise.resolve([]);
    }
  }

  return [AgentResolver, EndUserAgentsResolver] as const;
}
