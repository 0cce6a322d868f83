import type { DataSource, SelectQueryBuilder } from 'typeorm';
import type { AgentSettings } from '../../../src/config';
import { DomainError, validationError } from '../../../src/errors';
import { requireUser, requireTenant, selfOrScope } from '../../../src/federation/access';
import type { Identity } from '../../../src/identity';
import { enforceRateLimit } from '../../../src/rate-limit';
import { isUuid } from '../../../src/validation';
import { AgentsScopes } from '../agents.scopes';
import { ExternalAgentCall } from './external-agent-call.entity';
import {
  ExternalAgentCallGrouping,
  type ExternalAgentCallFilterArgs,
  type ExternalAgentCallGroup,
  type ExternalAgentCallInput,
  type ExternalAgentCallPage,
  type ExternalAgentCallTotals,
} from './external-agent-call.types';
import type { OrganizationsOfCaller } from '../tenancy-organizations';


const GROUP_COLUMNS: Record<ExternalAgentCallGrouping, string> = {
  [ExternalAgentCallGrouping.AGENT]: 'c.external_agent_id',
  [ExternalAgentCallGrouping.USER]: 'c.user_id',
  [ExternalAgentCallGrouping.ORGANIZATION]: 'c.organization_id',
};

const TOTALS_SELECT = `count(*)::int AS calls, (count(*) FILTER (WHERE c.status = 'ERROR'))::int AS errors,
  COALESCE(sum(c.input_tokens), 0)::float8 AS input_tokens, COALESCE(sum(c.output_tokens), 0)::float8 AS output_tokens,
  COALESCE(sum(c.total_tokens), 0)::float8 AS total_tokens, COALESCE(sum(c.cost_usd), 0)::float8 AS cost_usd,
  COALESCE(sum(c.duration_ms), 0)::float8 AS duration_ms`;

/**
 * Calls that external agents (n8n workflows…) report about themselves: recorded for analytics
 * per agent, user and organization, never billed (the tenant pays its AI provider directly).
 */
export class ExternalAgentCallService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizationsOf: OrganizationsOfCaller,
    private readonly settings: Pick<AgentSettings, 'externalCallRateLimitPerMinute'>,
  ) {}

  /** `POST /v1/external-agents/{agent_id}/calls`: a secret key with the user's token; 120 per minute per IP. */
  async register(identity: Identity, externalAgentId: string, input: ExternalAgentCallInput): Promise<ExternalAgentCall> {
    const { tenantId, userId } = requireUser(identity);
    if (identity.keyType !== 'secret') {
      throw new DomainError('FORBIDDEN', "Registering external agent calls needs a secret key (sk_live_…) with the user's access token");
    }
    await enforceRateLimit(this.dataSource, `agents:external-calls:${tenantId}:${identity.ip}`, { limit: this.settings.externalCallRateLimitPerMinute, windowSeconds: 60 });
    if (!isUuid(externalAgentId)) throw validationError([{ field: 'externalAgentId', message: 'must be a UUID' }]);
    if (input.userId && input.userId !== userId) throw new DomainError('FORBIDDEN', "user_id must be the signed-in user (the access token's)");
    const organizationId = await this.organizationOf(identity, input.organizationId ?? null);
    const inputTokens = input.inputTokens ?? 0;
    const outputTokens = input.outputTokens ?? 0;
    const repository = this.dataSource.getRepository(ExternalAgentCall);
    return repository.save(
      repository.create({
        tenantId,
        externalAgentId,
        userId,
        organizationId,
        inputTokens,
        outputTokens,
        totalTokens: input.totalTokens ?? inputTokens + outputTokens,
        costUsd: input.costUsd ?? 0,
        durationMs: input.durationMs ?? 0,
        status: input.status ?? 'SUCCESS',
        errorMessage: input.errorMessage ?? null,
        callMetadata: input.callMetadata ?? null,
      }),
    );
  }

  /** The given organization must be one of the user's (else 404); absent, the user's default one (or none). */
  private async organizationOf(identity: Identity, requested: string | null): Promise<string | null> {
    const organizations = await this.organizationsOf(identity);
    if (!requested) return organizations.find((o) => o.isDefault)?.id ?? null;
    if (!organizations.some((o) => o.id === requested)) throw new DomainError('NOT_FOUND', 'Organization not found');
    return requested;
  }

  /** A page of matching calls, newest first, with the totals of all of them. */
  async list(identity: Identity, filter: ExternalAgentCallFilterArgs, { skip, limit }: { skip: number; limit: number }): Promise<ExternalAgentCallPage> {
    const query = () => this.matching(identity, filter);
    const [items, totals] = await Promise.all([
      query().orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').skip(skip).take(limit).getMany(),
      query().select(TOTALS_SELECT).getRawOne<Record<string, number>>(),
    ]);
    const sums = totalsOf(totals!);
    return { items, total: sums.calls, totals: sums };
  }

  /** Totals per agent, user or organization (the 100 with the most calls). */
  async groups(identity: Identity, by: ExternalAgentCallGrouping, filter: ExternalAgentCallFilterArgs): Promise<ExternalAgentCallGroup[]> {
    const column = GROUP_COLUMNS[by];
    const rows = await this.matching(identity, filter)
      .select(`${column}::text AS key, ${TOTALS_SELECT}`)
      .groupBy(column)
      .orderBy('calls', 'DESC')
      .addOrderBy('key', 'ASC', 'NULLS LAST')
      .limit(100)
      .getRawMany<Record<string, number> & { key: string | null }>();
    return rows.map((row) => ({ key: row.key, totals: totalsOf(row) }));
  }

  /** The tenant's calls for a key with agents:read; an end user's own otherwise (asking for another user's is refused). */
  private matching(identity: Identity, filter: ExternalAgentCallFilterArgs): SelectQueryBuilder<ExternalAgentCall> {
    const tenantId = requireTenant(identity);
    // selfOrScope with no user id: whether the key itself carries the scope.
    const wholeTenant = selfOrScope(identity, AgentsScopes.agentsRead, '');
    let userId = filter.userId ?? null;
    if (!wholeTenant) {
      const self = requireUser(identity).userId;
      if (userId && userId !== self) throw new DomainError('FORBIDDEN', "Only a key with agents:read may read other users' calls");
      userId = self;
    }
    const query = this.dataSource.getRepository(ExternalAgentCall).createQueryBuilder('c').where('c.tenant_id = :tenantId', { tenantId });
    if (filter.externalAgentId) query.andWhere('c.external_agent_id = :agentId', { agentId: filter.externalAgentId });
    if (userId) query.andWhere('c.user_id = :userId', { userId });
    if (filter.organizationId) query.andWhere('c.organization_id = :organizationId', { organizationId: filter.organizationId });
    return query;
  }
}

function totalsOf(row: Record<string, number>): ExternalAgentCallTotals {
  return {
    calls: Number(row.calls),
    errors: Number(row.errors),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    costUsd: Number(row.cost_usd),
    durationMs: Number(row.duration_ms),
  };
}
