import type { DataSource } from 'typeorm';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderByGroup, loaderById } from '../../../src/federation/loaders';
import { isUuid } from '../../../src/validation';
import { Agent } from './agent.entity';
import { AgentCreated } from './agent.events';

export interface CreateAgentInput {
  name: string;
  model: string;
  description?: string | null;
  systemPrompt?: string | null;
  ownerUserId?: string | null;
}

export class AgentService {
  constructor(private readonly dataSource: DataSource) {}

  list(tenantId: string, first: number, offset: number): Promise<Agent[]> {
    return this.dataSource.getRepository(Agent).find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' }, take: first, skip: offset });
  }

  byId(tenantId: string, id: string): Promise<Agent | null> {
    return isUuid(id) ? this.dataSource.getRepository(Agent).findOneBy({ tenantId, id }) : Promise.resolve(null);
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
        name: input.name.trim(),
        model: input.model,
        description: input.description ?? null,
        systemPrompt: input.systemPrompt ?? null,
        ownerUserId: input.ownerUserId ?? null,
      });
      await manager.getRepository(Agent).insert(agent);
      await emit(manager, AgentCreated, tenantId, { agentId: agent.id });
      return agent; // insert() filled in the generated id and timestamps
    });
  }

  /** Agents owned by each end user, batched across a request. */
  ownedBy(context: SubgraphContext, tenantId: string, userId: string): Promise<Agent[]> {
    return load(context, this.agentsByOwner, tenantId, userId);
  }
}
