import type { DataSource } from 'typeorm';
import { validationError, type FieldError } from '../../../src/errors';
import { emitEvent } from '../../../src/events/outbox';
import { byKeys, groupByKeys, type SubgraphContext } from '../../../src/federation/context';
import { isUuid } from '../../../src/validation';
import { Agent } from './agent.entity';

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

  /** Batched per request and keyed by (tenant, id), for entity references. */
  load(context: SubgraphContext, tenantId: string, id: string): Promise<Agent | null> {
    return context
      .loader<string, Agent | null>(`agent:${tenantId}`, async (ids) => {
        const rows = await this.dataSource
          .getRepository(Agent)
          .createQueryBuilder('a')
          .where('a.tenant_id = :tenantId AND a.id = ANY(:ids::uuid[])', { tenantId, ids: ids.filter(isUuid) })
          .getMany();
        return byKeys(ids, rows, (a) => a.id);
      })
      .load(id);
  }

  async create(tenantId: string, input: CreateAgentInput): Promise<Agent> {
    const problems: FieldError[] = [];
    if (!input.name?.trim() || input.name.length > 100) problems.push({ field: 'name', message: 'must be 1 to 100 characters' });
    if (!/^[\w.:/-]{1,100}$/.test(input.model ?? '')) problems.push({ field: 'model', message: 'must be a model identifier' });
    if (input.ownerUserId && !isUuid(input.ownerUserId)) problems.push({ field: 'ownerUserId', message: 'must be a UUID' });
    if (problems.length) throw validationError(problems);
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
      await emitEvent(manager, { tenantId, type: 'agent.created', payload: { agentId: agent.id } });
      return agent; // insert() filled in the generated id and timestamps
    });
  }

  /** Agents owned by each end user, batched across a request. */
  ownedBy(context: SubgraphContext, tenantId: string, userId: string): Promise<Agent[]> {
    return context
      .loader<string, Agent[]>(`agents-by-owner:${tenantId}`, async (userIds) => {
        const rows = await this.dataSource
          .getRepository(Agent)
          .createQueryBuilder('a')
          .where('a.tenant_id = :tenantId AND a.owner_user_id = ANY(:ids::uuid[])', { tenantId, ids: userIds.filter(isUuid) })
          .orderBy('a.created_at', 'ASC')
          .getMany();
        return groupByKeys(userIds, rows, (a) => a.ownerUserId!);
      })
      .load(userId);
  }
}
