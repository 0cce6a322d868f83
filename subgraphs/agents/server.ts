import { buildFederatedSchema } from '../../src/federation/build-schema';
import type { SubgraphContext } from '../../src/federation/context';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { Agent } from './agent/agent.entity';
import { createAgentResolvers, EndUser } from './agent/agent.resolver';
import { AgentService } from './agent/agent.service';

export async function createAgentsSchema({ dataSource, pubSub }: SubgraphDeps) {
  const agents = new AgentService(dataSource);
  return buildFederatedSchema({
    resolvers: [...createAgentResolvers(agents)],
    orphanedTypes: [EndUser],
    pubSub,
    referenceResolvers: {
      Agent: {
        __resolveReference: (ref: { id: string }, context: SubgraphContext) =>
          context.identity.tenantId ? agents.load(context, context.identity.tenantId, ref.id) : null,
      },
    },
  });
}

export const agentsSubgraph: SubgraphDefinition = {
  name: 'agents',
  entities: [Agent],
  createSchema: createAgentsSchema,
};
