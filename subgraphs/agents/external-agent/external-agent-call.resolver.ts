import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { AgentsScopes } from '../agents.scopes';
import { ExternalAgentCall } from './external-agent-call.entity';
import type { ExternalAgentCallService } from './external-agent-call.service';
import { ExternalAgentCallFilterArgs, ExternalAgentCallGroup, ExternalAgentCallGrouping, ExternalAgentCallInput, ExternalAgentCallPage, ExternalAgentCallPageArgs } from './external-agent-call.types';

/** External agents report their calls (a secret key with the user's token) and the tenant reads the analytics. */
export function createExternalAgentCallResolvers(calls: ExternalAgentCallService) {
  @Resolver()
  class ExternalAgentCallResolver {
    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => ExternalAgentCall, {
      description: "Register an external agent's call (secret key + the user's token; 120 per minute per IP). Analytics only: never billed",
    })
    registerExternalAgentCall(
      @Arg('externalAgentId', () => ID) externalAgentId: string,
      @Arg('input', () => ExternalAgentCallInput, { nullable: true }) input: ExternalAgentCallInput | null,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<ExternalAgentCall> {
      return calls.register(identity, externalAgentId, input ?? {});
    }

    @RequiresScopes(AgentsScopes.agentsRead, SELF_SCOPE)
    @Query(() => ExternalAgentCallPage, { description: "External agent calls, newest first, with totals: the tenant's (agents:read) or the signed-in user's own" })
    externalAgentCalls(
      @Args(() => ExternalAgentCallFilterArgs) filter: ExternalAgentCallFilterArgs,
      @Args(() => ExternalAgentCallPageArgs) page: InstanceType<typeof ExternalAgentCallPageArgs>,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<ExternalAgentCallPage> {
      return calls.list(identity, filter, page);
    }

    @RequiresScopes(AgentsScopes.agentsRead, SELF_SCOPE)
    @Query(() => [ExternalAgentCallGroup], { description: 'Totals of external agent calls per agent, user or organization (the 100 with the most calls)' })
    externalAgentCallTotals(
      @Arg('by', () => ExternalAgentCallGrouping) by: ExternalAgentCallGrouping,
      @Args(() => ExternalAgentCallFilterArgs) filter: ExternalAgentCallFilterArgs,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<ExternalAgentCallGroup[]> {
      return calls.groups(identity, by, filter);
    }
  }

  return [ExternalAgentCallResolver] as const;
}
