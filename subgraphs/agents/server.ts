import { SecretBox } from '../../src/auth/secret-box';
import { rolesFromTenancy } from '../../src/federation/organization-roles-client';
import { buildFederatedSchema } from '../../src/federation/build-schema';
import { agentReference } from './agent/agent.reference';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { Agent } from './agent/agent.entity';
import { createAgentResolvers, EndUser } from './agent/agent.resolver';
import { AgentService } from './agent/agent.service';
import { AGENT_EVENTS } from './agent/agent.events';
import { EXECUTION_EVENTS } from './execution/execution.events';
import { ConversationService } from './conversation/conversation.service';
import { Conversation, ConversationMessage } from './conversation/conversation.entity';
import { AgentExecution } from './execution/execution.entity';
import { createExecutionResolvers } from './execution/execution.resolver';
import { ExecutionService } from './execution/execution.service';
import type { UsageGate } from './execution/usage-gate';
import { billingUsageGate } from './execution/billing-usage-gate';
import { createModelProvider } from './provider/model-provider';
import { createCompletionResolvers } from './completion/completion.resolver';
import { CompletionService } from './completion/completion.service';
import { ExternalAgentCall } from './external-agent/external-agent-call.entity';
import { createExternalAgentCallResolvers } from './external-agent/external-agent-call.resolver';
import { ExternalAgentCallService } from './external-agent/external-agent-call.service';
import { organizationsFromTenancy } from './tenancy-organizations';

/** `usageGate`: the pre-check before each model call (default: billing's, per organization). */
export async function createAgentsSchema({ dataSource, pubSub, config, log }: SubgraphDeps, usageGate?: UsageGate) {
  const gate = usageGate ?? billingUsageGate(config.subgraphUrls, config.internalSecret);
  const organizationsOf = organizationsFromTenancy(config.subgraphUrls.tenancy, config.internalSecret);
  const box = new SecretBox(config.jwtSecret, 'agent-mcp-credentials');
  const policy = { allowPrivateNetworks: config.agents.mcpAllowPrivateNetworks };
  const agents = new AgentService(dataSource, config.agents.defaultModel, { box, policy });
  const conversations = new ConversationService(dataSource);
  const provider = createModelProvider(config.agents);
  if (!provider) log.warn('No model provider configured (OPENAI_BASE_URL / OPENAI_API_KEY unset): agent chat answers 503 until one is set');
  const executions = new ExecutionService(dataSource, agents, conversations, provider, gate, config.agents, {
    box,
    policy,
    maxSteps: config.agents.toolMaxSteps,
    loopTimeoutMs: config.agents.toolLoopTimeoutMs,
    requestTimeoutMs: config.agents.toolCallTimeoutMs,
  });
  const completions = new CompletionService(dataSource, provider, gate, config.agents);
  const externalCalls = new ExternalAgentCallService(dataSource, organizationsOf, config.agents);
  return buildFederatedSchema({
    resolvers: [
      ...createAgentResolvers(agents),
      ...createExecutionResolvers(agents, conversations, executions, pubSub, rolesFromTenancy(config.subgraphUrls.tenancy, config.internalSecret)),
      ...createCompletionResolvers(completions),
      ...createExternalAgentCallResolvers(externalCalls),
    ],
    orphanedTypes: [EndUser],
    pubSub,
    referenceResolvers: { Agent: agentReference(agents) },
  });
}

export const agentsSubgraph: SubgraphDefinition = {
  name: 'agents',
  entities: [Agent, Conversation, ConversationMessage, AgentExecution, ExternalAgentCall],
  createSchema: (deps) => createAgentsSchema(deps),
  events: [...AGENT_EVENTS, ...EXECUTION_EVENTS],
};
