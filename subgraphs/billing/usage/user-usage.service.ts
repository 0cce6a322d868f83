import type { DataSource } from 'typeorm';
import { rowsOf } from '../../../src/db/sql-runner';
import { DomainError } from '../../../src/errors';
import { currentPeriod, LIVE_STATUSES, planLimitsOf } from '../subscription/billing-period';
import { METERS, NO_ID } from './meters';
import { countersOf } from './usage-counters';
import { planNameOf } from './usage-plan';
import { usageCheckOf, usdOf } from './usage-report';
import type { UserPlanUsage, UserUsageLimits } from './user-usage.types';

/**
 * A user's usage on their own plan (001 `/v1/subscriptions/users/{user_id}/...`): the counters of
 * the user outside organizations, in the period of the user's own live subscription.
 */
export class UserUsageService {
  constructor(private readonly dataSource: DataSource) {}

  /** 404 when the user has no live subscription of their own ("Returns 404 if no active plan"). */
  async usage(tenantId: string, userId: string): Promise<UserPlanUsage> {
    const subscription = await this.liveSubscription(tenantId, userId);
    const owner = { userId };
    const period = await currentPeriod(this.dataSource, tenantId, owner);
    const values = await countersOf(this.dataSource, tenantId, owner, period);
    const updated = rowsOf(
      await this.dataSource.query(
        `SELECT max(updated_at) AS at FROM billing.usage_counters WHERE tenant_id = $1 AND user_id = $2 AND organization_id = $4 AND period_start = $3`,
        [tenantId, userId, period.start, NO_ID],
      ),
    )[0]?.at;
    return {
      id: subscription.id,
      organizationId: null,
      userId,
      planId: subscription.planId,
      periodStart: period.start,
      periodEnd: period.end,
      messagesCount: values[METERS.messages] ?? 0,
      tokensCount: values[METERS.tokens] ?? 0,
      usageMetadata: {
        input_tokens: values[METERS.inputTokens] ?? 0,
        output_tokens: values[METERS.outputTokens] ?? 0,
        cost_usd: usdOf(values[METERS.costMicroUsd] ?? 0),
        api_calls: values[METERS.apiCalls] ?? 0,
        storage_bytes: values[METERS.storageBytes] ?? 0,
      },
      createdAt: subscription.createdAt,
      updatedAt: updated ? new Date(updated) : subscription.updatedAt,
    };
  }

  /** The plan's limits (the user's live plan, else the tenant's free plan) and this period's use of them. */
  async limits(tenantId: string, userId: string): Promise<UserUsageLimits> {
    const owner = { userId };
    const period = await currentPeriod(this.dataSource, tenantId, owner);
    const limits = await planLimitsOf(this.dataSource, tenantId, owner);
    const plan = await planNameOf(this.dataSource, tenantId, owner);
    const values = await countersOf(this.dataSource, tenantId, owner, period);
    const check = (usageType: string, meter: string) => usageCheckOf(usageType, meter, values[meter] ?? 0, limits, null);
    return {
      limits: {
        planId: plan?.id ?? null,
        planName: plan?.name ?? null,
        periodStart: period.start,
        periodEnd: period.end,
        messages: check('messages', METERS.messages),
        tokens: check('tokens', METERS.tokens),
        costMicroUsd: check('cost_micro_usd', METERS.costMicroUsd),
      },
    };
  }

  private async liveSubscription(tenantId: string, userId: string): Promise<{ id: string; planId: string; createdAt: Date; updatedAt: Date }> {
    const [row] = rowsOf(
      await this.dataSource.query(
        `SELECT id, plan_id, created_at, updated_at FROM billing.subscriptions
          WHERE tenant_id = $1 AND user_id = $2 AND organization_id IS NULL AND status = ANY($3)
          ORDER BY created_at DESC LIMIT 1`,
        [tenantId, userId, [...LIVE_STATUSES]],
      ),
    );
    if (!row) throw new DomainError('NOT_FOUND', 'No active plan for this user');
    return { id: row.id, planId: row.plan_id, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) };
  }
}
