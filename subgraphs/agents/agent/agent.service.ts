import type { DataSource } from 'typeorm';
import { emit } from '../../../src/events/outbox';
import { DomainError } from '../../../src/errors';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderByGroup, loaderById } from '../../../src/federation/loaders';
import { isUuid } from '../../../src/validation';
import { Agent, AgentResponseType, RagProvider } from './agent.entity';
import { AgentCreated } from './agent.events';
import { sealMcpServers } from './mcp-servers';
import type { SecretBox } from '../../../src/auth/secret-box';
import type { SsrfPolicy } from '../../../src/net/ssrf-guard';

/** How MCP server settings are checked and their credentials sealed. */
export interface McpSealing {
  box: SecretBox;
  policy: SsrfPolicy;
}

export interface AgentSettingsInput {
  name?: string;
  model?: string | null;
  description?: string | null;
  systemPrompt?: string | null;
  temperature?: number | null;
  responseType?: AgentResponseType | null;
  isActive?: boolean | null;
  ragProvider?: RagProvider | null;
  ragConfig?: Record<string, unknown> | null;
  mcpServers?: Array<Record<string, unknown>> | null;
  ownerUserId?: string | null;
}

export interface CreateAgentInput extends AgentSettingsInput {
  name: string;
}

export class AgentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly defaultModel: string,
    private readonly mcp: McpSealing,
  ) {}

  list(tenantId: string, first: number, offset: number): Promise<Agent[]> {
    return this.dataSource.getRepository(Agent).find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' }, take: first, skip: offset });
  }

  /** What end users may chat with: active agents only, oldest first. */
  available(tenantId: string, skip: number, limit: number): Promise<Agent[]> {
    return this.dataSource.getRepository(Agent).find({ where: { tenantId, isActive: true }, order: { createdAt: 'ASC', id: 'ASC' }, take: limit, skip });
  }

  byId(tenantId: string, id: string): Promise<Agent | null> {
    return isUuid(id) ? this.dataSource.getRepository(Agent).findOneBy({ tenantId, id }) : Promise.resolve(null);
  }

  /** An agent an end user may see and chat with; inactive or unknown → 404. */
  async activeOrNotFound(tenantId: string, id: string): Promise<Agent> {
    const agent = await this.byId(tenantId, id);
    if (!agent?.isActive) throw new DomainError('NOT_FOUND', 'Agent not found');
    return agent;
  }

  private readonly agentsById = loaderById<Agent>('agent-by-id', (tenantId, ids) =>
    this.dataSource.getRepository(Agent).createQueryBuilder('a').where('a.tenant_id = :tenantId AND a.id = ANY(:ids::uuid[])', { tenantId, ids }).getMany(),
  );

  private readonly agentsByOwner = loaderByGroup<Agent>(
    'agents-by-owner',
    (tenantId, userIds) =>
      this.dataSource
        .getRepository(Agent)
        .createQueryBuilder('a')
        .where('a.tenant_id = :tenantId AND a.owner_user_id = ANY(:ids::uuid[])', { tenantId, ids: userIds })
        .orderBy('a.created_at', 'ASC')
        .getMany(),
    (agent) => agent.ownerUserId!,
  );

  /** Batched per request and keyed by (tenant, id), for entity references. */
  load(context: SubgraphContext, tenantId: string, id: string): Promise<Agent | null> {
    return load(context, this.agentsById, tenantId, id);
  }

  async create(tenantId: string, input: CreateAgentInput): Promise<Agent> {
    return this.dataSource.transaction(async (manager) => {
      const agent = manager.getRepository(Agent).create({
        tenantId,
        model: this.defaultModel,
        description: null,
        systemPrompt: null,
        ownerUserId: null,
        temperature: null,
        responseType: AgentResponseType.text,
        isActive: true,
        ragProvider: RagProvider.NONE,
        ragConfig: null,
        mcpServersStored: [],
      });
      applySettings(agent, input, this.mcp);
      await manager.getRepository(Agent).save(agent);
      await emit(manager, AgentCreated, tenantId, { agentId: agent.id });
      return agent;
    });
  }

  async update(tenantId: string, id: string, input: AgentSettingsInput): Promise<Agent> {
    const agent = await this.byId(tenantId, id);
    if (!agent) throw new DomainError('NOT_FOUND', 'Agent not found');
    applySettings(agent, input, this.mcp);
    return this.dataSource.getRepository(Agent).save(agent);
  }

  /** Deletes the agent with its conversations and executions (the tables cascade). */
  async delete(tenantId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) throw new DomainError('NOT_FOUND', 'Agent not found');
    const result = await this.dataSource.getRepository(Agent).delete({ tenantId, id });
    if (!result.affected) throw new DomainError('NOT_FOUND', 'Agent not found');
    return true;
  }

  /** Agents owned by each end user, batched across a request. */
  ownedBy(context: SubgraphContext, tenantId: string, userId: string): Promise<Agent[]> {
    return load(context, this.agentsByOwner, tenantId, userId);
  }
}

/** Copies the given settings (undefined = unchanged; null on a non-nullable setting = its default). */
function applySettings(agent: Agent, input: AgentSettingsInput, mcp: McpSealing): void {
  if (input.name !== undefined) agent.name = input.name.trim();
  if (input.model != null) agent.model = input.model;
  if (input.description !== undefined) agent.description = input.description;
  if (input.systemPrompt !== undefined) agent.systemPrompt = input.systemPrompt;
  if (input.temperature !== undefined) agent.temperature = input.temperature;
  if (input.responseType != null) agent.responseType = input.responseType;
  if (input.isActive != null) agent.isActive = input.isActive;
  if (input.ragProvider != null) agent.ragProvider = input.ragProvider;
  if (input.ragConfig !== undefined) agent.ragConfig = input.ragConfig;
  if (input.mcpServers !== undefined) agent.mcpServersStored = sealMcpServers(input.mcpServers ?? [], agent.mcpServersStored ?? [], mcp.box, mcp.policy);
  if (input.ownerUserId !== undefined) agent.ownerUserId = input.ownerUserId;
}
