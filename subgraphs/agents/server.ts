import { buildFederatedSchema } from '../../src/federation/build-schema';
import { agentReference } from './agent/agent.reference';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { Agent } from './agent/agent.entity';
import { createAgentResolvers, EndUser } from './agent/agent.resolver';
import { AgentService } from './agent/agent.service';
import { AGENT_EVENTS } from './agent/agent.events';

export async function createAgentsSchema({ dataSource, pubSub }: SubgraphDeps) {
  const agents = new AgentService(dataSource);
  return buildFederatedSchema({
    resolvers: [...createAgentResolvers(agents)],
    orphanedTypes: [EndUser],
    pubSub,
    referenceResolvers: { Agent: agentReference(agents) },
  });
}

export const agentsSubgraph: SubgraphDefinition = {
  name: 'agents',
  entities: [Agent],
  createSchema: createAgentsSchema,
  events: AGENT_EVENTS,
};
