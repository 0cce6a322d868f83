import type { DataSource } from 'typeorm';
import type { DeliveredEvent } from '../../../src/events/consumers';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderByGroup } from '../../../src/federation/loaders';
import { UsageRecord } from './usage-record.entity';
import type { EndUserRegistered } from '../../tenancy/end-user/end-user.events';
import type { UsageRecordedPayload } from './usage.events';
import { addToTenantFeature, type UsageMeteringService } from './usage-metering.service';
import type { RecordUsageInput, UsageTotal } from './usage.types';

export type { UsageRecordedPayload };

export class UsageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metering: UsageMeteringService,
  ) {}

  /** Records usage that happened (no limit), its counters and its `usage.recorded` event in one transaction. */
  async record(tenantId: string, input: RecordUsageInput): Promise<UsageRecord> {
    const change = { organizationId: input.organizationId ?? null, userId: input.userId ?? null, metric: input.metric, quantity: input.quantity };
    const record = await this.metering.add(tenantId, { ...change, amounts: { [input.metric]: input.quantity } });
    return Object.assign(new UsageRecord(), { ...change, id: record!.id, tenantId, sourceEventId: null, createdAt: record!.createdAt });
  }

  /** Meters one new end user; idempotent by event id (at-least-once delivery). */
  async meterEndUserRegistered(event: DeliveredEvent<typeof EndUserRegistered>): Promise<void> {
    if (!event.tenantId) return;
    const tenantId = event.tenantId;
    await this.dataSource.transaction(async (manager) => {
      const inserted = await manager.query(
        `INSERT INTO billing.usage_records (tenant_id, user_id, metric, quantity, source_event_id)
         VALUES ($1, $2, 'end_users', 1, $3) ON CONFLICT (source_event_id) DO NOTHING RETURNING id`,
        [tenantId, event.payload.userId, event.id],
      );
      if (inserted.length) await addToTenantFeature(manager, tenantId, 'end_users', 1);
    });
  }

  async totals(tenantId: string, filter: { organizationId?: string | null; userId?: string | null }): Promise<UsageTotal[]> {
    return this.dataSource.query(
      `SELECT metric, SUM(quantity)::float8 AS quantity FROM billing.usage_records
        WHERE tenant_id = $1 AND ($2::uuid IS NULL OR organization_id = $2) AND ($3::uuid IS NULL OR user_id = $3)
        GROUP BY metric ORDER BY metric`,
      [tenantId, filter.organizationId ?? null, filter.userId ?? null],
    );
  }

  private readonly totalsByUser = loaderByGroup<UsageTotal & { user_id: string }>(
    'usage-totals-by-user',
    (tenantId, userIds) =>
      this.dataSource.query(
        `SELECT user_id, metric, SUM(quantity)::float8 AS quantity FROM billing.usage_records
          WHERE tenant_id = $1 AND user_id = ANY($2::uuid[]) GROUP BY user_id, metric ORDER BY metric`,
        [tenantId, userIds],
      ),
    (row) => row.user_id,
  );

  /** Per-user totals, batched across a request (one query for a whole list of users). */
  async totalsForUser(context: SubgraphContext, tenantId: string, userId: string): Promise<UsageTotal[]> {
    const rows = await load(context, this.totalsByUser, tenantId, userId);
    return rows.map(({ metric, quantity }) => ({ metric, quantity }));
  }
}
