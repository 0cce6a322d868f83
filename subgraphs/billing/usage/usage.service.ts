import type { DataSource } from 'typeorm';
import { validationError, type FieldError } from '../../../src/errors';
import { emitEvent } from '../../../src/events/outbox';
import type { PlatformEvent } from '../../../src/events/types';
import { groupByKeys, type SubgraphContext } from '../../../src/federation/context';
import { isUuid } from '../../../src/validation';
import { UsageRecord } from './usage-record.entity';
import type { RecordUsageInput, UsageTotal } from './usage.types';

export interface UsageRecordedPayload {
  recordId: string;
  organizationId: string | null;
  userId: string | null;
  metric: string;
  quantity: number;
  organizationTotal: number | null;
  recordedAt: string;
}

export class UsageService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records usage and its `usage.recorded` event in one transaction. */
  async record(tenantId: string, input: RecordUsageInput): Promise<UsageRecord> {
    const problems: FieldError[] = [];
    if (!/^[a-z][a-z0-9_.:-]{0,63}$/.test(input.metric ?? '')) problems.push({ field: 'metric', message: 'must be a lowercase identifier' });
    if (!Number.isFinite(input.quantity) || input.quantity < 0) problems.push({ field: 'quantity', message: 'must be a non-negative number' });
    if (input.organizationId && !isUuid(input.organizationId)) problems.push({ field: 'organizationId', message: 'must be a UUID' });
    if (input.userId && !isUuid(input.userId)) problems.push({ field: 'userId', message: 'must be a UUID' });
    if (problems.length) throw validationError(problems);
    return this.dataSource.transaction(async (manager) => {
      const record = manager.getRepository(UsageRecord).create({
        tenantId,
        organizationId: input.organizationId ?? null,
        userId: input.userId ?? null,
        metric: input.metric,
        quantity: input.quantity,
      });
      await manager.getRepository(UsageRecord).insert(record);
      let organizationTotal: number | null = null;
      if (record.organizationId) {
        const [row] = await manager.query(
          `SELECT COALESCE(SUM(quantity), 0)::float8 AS total FROM billing.usage_records WHERE tenant_id = $1 AND organization_id = $2 AND metric = $3`,
          [tenantId, record.organizationId, record.metric],
        );
        organizationTotal = row.total;
      }
      const payload: UsageRecordedPayload = {
        recordId: record.id,
        organizationId: record.organizationId,
        userId: record.userId,
        metric: record.metric,
        quantity: record.quantity,
        organizationTotal,
        recordedAt: record.createdAt.toISOString(),
      };
      await emitEvent(manager, { tenantId, type: 'usage.recorded', payload: { ...payload } });
      return record; // insert() filled in the generated id and created_at
    });
  }

  /** Meters one new end user; idempotent by event id (at-least-once delivery). */
  async meterEndUserRegistered(event: PlatformEvent<{ userId: string }>): Promise<void> {
    if (!event.tenantId) return;
    await this.dataSource.query(
      `INSERT INTO billing.usage_records (tenant_id, user_id, metric, quantity, source_event_id)
       VALUES ($1, $2, 'end_users', 1, $3) ON CONFLICT (source_event_id) DO NOTHING`,
      [event.tenantId, event.payload.userId, event.id],
    );
  }

  async totals(tenantId: string, filter: { organizationId?: string | null; userId?: string | null }): Promise<UsageTotal[]> {
    const problems: FieldError[] = [];
    if (filter.organizationId && !isUuid(filter.organizationId)) problems.push({ field: 'organizationId', message: 'must be a UUID' });
    if (filter.userId && !isUuid(filter.userId)) problems.push({ field: 'userId', message: 'must be a UUID' });
    if (problems.length) throw validationError(problems);
    return this.dataSource.query(
      `SELECT metric, SUM(quantity)::float8 AS quantity FROM billing.usage_records
        WHERE tenant_id = $1 AND ($2::uuid IS NULL OR organization_id = $2) AND ($3::uuid IS NULL OR user_id = $3)
        GROUP BY metric ORDER BY metric`,
      [tenantId, filter.organizationId ?? null, filter.userId ?? null],
    );
  }

  /** Per-user totals, batched across a request (one query for a whole list of users). */
  totalsForUser(context: SubgraphContext, tenantId: string, userId: string): Promise<UsageTotal[]> {
    return context
      .loader<string, UsageTotal[]>(`usage-by-user:${tenantId}`, async (userIds) => {
        const rows: Array<UsageTotal & { user_id: string }> = await this.dataSource.query(
          `SELECT user_id, metric, SUM(quantity)::float8 AS quantity FROM billing.usage_records
            WHERE tenant_id = $1 AND user_id = ANY($2::uuid[]) GROUP BY user_id, metric ORDER BY metric`,
          [tenantId, userIds.filter(isUuid)],
        );
        return groupByKeys(userIds, rows, (r) => r.user_id).map((list) => list.map(({ metric, quantity }) => ({ metric, quantity })));
      })
      .load(userId);
  }
}
