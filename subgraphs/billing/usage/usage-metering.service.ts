import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../../../src/db/sql-runner';
import { DomainError } from '../../../src/errors';
import type { DeliveredEvent } from '../../../src/events/consumers';
import { emit } from '../../../src/events/outbox';
import type { Identity } from '../../../src/identity';
import type { AgentExecutionCompleted } from '../../agents/execution/execution.events';
import { currentPeriod, planLimitsOf } from '../subscription/billing-period';
import { limitOf, METERS, USAGE_TYPES } from './meters';
import { addToCounter, counterHistory, countersOf, type CounterOwner } from './usage-counters';
import type {
  CurrentUsage,
  MeterTotals,
  OrganizationUsageCheck,
  UsageAmountArgs,
  UsageCheck,
  UsageConsumption,
  UsagePeriod,
  UsageStats,
} from './usage-metering.types';
import { planNameOf } from './usage-plan';
import { FEATURE_OF_METER } from '../entitlement/entitlement-tiers';
import { addTenantUsage, featurePeriod } from '../entitlement/entitlement.service';
import { currentUsageOf, meterTotalsOf, usageCheckOf } from './usage-report';
import { UsageRecorded, type CurrentUsageSnapshot } from './usage.events';
import { organizationUsageState } from './usage-state';

/** One change to meters: amounts by meter, for an organization and/or a user. */
export interface UsageChange {
  organizationId: string | null;
  userId: string | null;
  amounts: Record<string, number>;
  /** The record's metric and quantity (history and the `usageUpdated` event). */
  metric: string;
  quantity: number;
  sourceEventId?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Usage metering: counters per (organization or user, meter, billing period) changed by atomic
 * upserts, the plan's limits enforced by the organization's counter, and every change recorded
 * (usage_records) and announced (`usage.recorded`, with the organization's new current usage)
 * in the same transaction.
 */
export class UsageMeteringService {
  constructor(private readonly dataSource: DataSource) {}

  async current(tenantId: string, organizationId: string, runner: SqlRunner = this.dataSource): Promise<CurrentUsage> {
    const { period, limits, counters } = await organizationUsageState(runner, tenantId, organizationId);
    return currentUsageOf(organizationId, period, limits, await planNameOf(runner, tenantId, { organizationId }), counters);
  }

  async history(tenantId: string, organizationId: string, limit: number, offset: number): Promise<UsagePeriod[]> {
    const periods = await counterHistory(this.dataSource, tenantId, { organizationId }, limit, offset);
    return periods.map((p) => ({ ...meterTotalsOf({ start: p.periodStart, end: p.periodEnd }, p.values), organizationId, updatedAt: p.updatedAt }));
  }

  async userTotals(tenantId: string, organizationId: string, userId: string): Promise<MeterTotals> {
    const period = await currentPeriod(this.dataSource, tenantId, { organizationId });
    return meterTotalsOf(period, await countersOf(this.dataSource, tenantId, { organizationId, userId }, period));
  }

  async stats(tenantId: string, organizationId: string, userId: string | undefined): Promise<UsageStats> {
    const owner = { organizationId };
    const period = await currentPeriod(this.dataSource, tenantId, owner);
    const plan = await planNameOf(this.dataSource, tenantId, owner);
    const organization = meterTotalsOf(period, await countersOf(this.dataSource, tenantId, owner, period));
    const user = userId ? meterTotalsOf(period, await countersOf(this.dataSource, tenantId, { organizationId, userId }, period)) : null;
    return { periodStart: period.start, periodEnd: period.end, planId: plan?.id ?? null, planName: plan?.name ?? null, usage: { organization, user }, error: null };
  }

  /** `/v1/usage/check`: no side effect. */
  async check(identity: Identity, tenantId: string, args: UsageAmountArgs): Promise<UsageCheck> {
    assertOwnUser(identity, args.userId);
    const meter = USAGE_TYPES[args.usageType];
    const { counters, limits } = await organizationUsageState(this.dataSource, tenantId, args.organizationId);
    return usageCheckOf(args.usageType, meter, counters[meter] ?? 0, limits, args.tokens);
  }

  /** `/v1/organizations/{id}/usage/check`: would these additional messages and tokens pass the limits? */
  async checkOrganization(tenantId: string, organizationId: string, additionalMessages: number, additionalTokens: number): Promise<OrganizationUsageCheck> {
    const { counters, limits } = await organizationUsageState(this.dataSource, tenantId, organizationId);
    const messages = usageCheckOf('messages', METERS.messages, counters[METERS.messages] ?? 0, limits, additionalMessages);
    const tokens = usageCheckOf('tokens', METERS.tokens, counters[METERS.tokens] ?? 0, limits, additionalTokens);
    return { wouldExceed: !messages.allowed || !tokens.allowed, limits: { messages, tokens } };
  }

  /** `/v1/usage/consume`: all or nothing; 402 when the plan's limit would be passed. */
  async consume(identity: Identity, tenantId: string, args: UsageAmountArgs): Promise<UsageConsumption> {
    assertOwnUser(identity, args.userId);
    const meter = USAGE_TYPES[args.usageType];
    const owner = { organizationId: args.organizationId };
    // Reads first: the organization's counter row stays locked from the guarded upsert to commit,
    // so the work after it is kept short (concurrent consumes of one organization queue there).
    const period = await currentPeriod(this.dataSource, tenantId, owner);
    const limits = await planLimitsOf(this.dataSource, tenantId, owner);
    const plan = await planNameOf(this.dataSource, tenantId, owner);
    const change = { organizationId: args.organizationId, userId: args.userId, amounts: {}, metric: meter, quantity: args.tokens };
    return this.dataSource.transaction(async (manager) => {
      const record = (await this.insertRecord(manager, tenantId, change))!;
      const total = await addToCounter(manager, tenantId, owner, meter, period, args.tokens, limitOf(meter, limits));
      if (total === null) {
        const values = await countersOf(manager, tenantId, owner, period);
        throw new DomainError('PAYMENT_REQUIRED', usageCheckOf(args.usageType, meter, values[meter] ?? 0, limits, args.tokens).error!);
      }
      await addToCounter(manager, tenantId, { ...owner, userId: args.userId }, meter, period, args.tokens);
      await addToTenantFeature(manager, tenantId, meter, args.tokens);
      const usage = currentUsageOf(args.organizationId, period, limits, plan, await countersOf(manager, tenantId, owner, period));
      await this.announce(manager, tenantId, record, change, total, usage);
      return { success: true, consumed: args.tokens, usageType: args.usageType, allowed: true, limits: usageCheckOf(args.usageType, meter, total, limits, null), error: null };
    });
  }

  /**
   * Adds usage that already happened (no limit: it was spent): agent executions, file storage,
   * `recordUsage`. Idempotent by `sourceEventId`. Returns the record id (null for a replay).
   */
  async add(tenantId: string, change: UsageChange, runner?: SqlRunner): Promise<{ id: string; createdAt: Date } | null> {
    const run = async (manager: SqlRunner) => {
      const owner: CounterOwner = change.organizationId ? { organizationId: change.organizationId } : { userId: change.userId };
      const period = await currentPeriod(manager, tenantId, change.organizationId ? { organizationId: change.organizationId } : { userId: change.userId ?? undefined });
      const record = await this.insertRecord(manager, tenantId, change);
      if (!record) return null;
      let organizationTotal: number | null = null;
      for (const [meter, amount] of Object.entries(change.amounts)) {
        if (amount === 0) continue;
        const total = await addToCounter(manager, tenantId, owner, meter, period, amount);
        if (meter === change.metric) organizationTotal = total;
        if (change.organizationId && change.userId) await addToCounter(manager, tenantId, { organizationId: change.organizationId, userId: change.userId }, meter, period, amount);
        await addToTenantFeature(manager, tenantId, meter, amount);
      }
      await this.announce(manager, tenantId, record, change, change.organizationId ? organizationTotal : null);
      return record;
    };
    return runner ? run(runner) : this.dataSource.transaction(run);
  }

  /** Meters an agent execution: one message, its tokens and its cost; idempotent by event id. */
  async meterAgentExecution(event: DeliveredEvent<typeof AgentExecutionCompleted>): Promise<void> {
    if (!event.tenantId) return;
    const p = event.payload;
    await this.add(event.tenantId, {
      organizationId: p.organizationId,
      userId: p.userId,
      metric: METERS.messages,
      quantity: 1,
      sourceEventId: event.id,
      metadata: { executionId: p.executionId, agentId: p.agentId, model: p.model, inputTokens: p.inputTokens, outputTokens: p.outputTokens, costMicroUsd: p.costMicroUsd },
      amounts: {
        [METERS.messages]: 1,
        [METERS.inputTokens]: p.inputTokens,
        [METERS.outputTokens]: p.outputTokens,
        [METERS.tokens]: p.inputTokens + p.outputTokens,
        [METERS.costMicroUsd]: p.costMicroUsd,
      },
    });
  }

  /**
   * Stored bytes are a level, not a monthly volume: the owner's `storage_bytes` counter and the
   * tenant's `storage` entitlement live in one period that never ends, moved by +bytes on upload
   * and −bytes on delete (the tenant's own drive has no owner counter). Idempotent by event id; a
   * delete delivered before its upload would go below zero, fails the counters' check and is retried.
   */
  async meterStoredBytes(tenantId: string, userId: string | null, delta: number, sourceEventId: string, metadata: Record<string, unknown>): Promise<void> {
    const change: UsageChange = { organizationId: null, userId, metric: METERS.storageBytes, quantity: Math.abs(delta), sourceEventId, metadata, amounts: { [METERS.storageBytes]: delta } };
    await this.dataSource.transaction(async (manager) => {
      const record = await this.insertRecord(manager, tenantId, change);
      if (!record) return;
      if (userId) await addToCounter(manager, tenantId, { userId }, METERS.storageBytes, featurePeriod('storage'), delta);
      await addToTenantFeature(manager, tenantId, METERS.storageBytes, delta);
      await this.announce(manager, tenantId, record, change, null);
    });
  }

  private async insertRecord(manager: SqlRunner, tenantId: string, change: UsageChange): Promise<{ id: string; createdAt: Date } | null> {
    const rows = await manager.query(
      `INSERT INTO billing.usage_records (tenant_id, organization_id, user_id, metric, quantity, source_event_id, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_event_id) DO NOTHING RETURNING id, created_at`,
      [tenantId, change.organizationId, change.userId, change.metric, change.quantity, change.sourceEventId ?? null, change.metadata ?? null],
    );
    const [row] = Array.isArray(rows) ? rows : rows.rows;
    return row ? { id: row.id, createdAt: new Date(row.created_at) } : null;
  }

  /** `usage.recorded` with the organization's usage after the change (read here unless the caller has it). */
  private async announce(manager: SqlRunner, tenantId: string, record: { id: string; createdAt: Date }, change: UsageChange, organizationTotal: number | null, current?: CurrentUsage): Promise<void> {
    const after = current ?? (change.organizationId ? await this.current(tenantId, change.organizationId, manager) : undefined);
    const usage = after ? snapshotOf(after) : undefined;
    await emit(manager, UsageRecorded, tenantId, {
      recordId: record.id,
      organizationId: change.organizationId,
      userId: change.userId,
      metric: change.metric,
      quantity: change.quantity,
      organizationTotal,
      recordedAt: record.createdAt.toISOString(),
      usage,
    });
  }
}

/** The tenant's entitlement counters follow the meters they are made of (messages across organizations, ...). */
export async function addToTenantFeature(runner: SqlRunner, tenantId: string, meter: string, amount: number): Promise<void> {
  const feature = FEATURE_OF_METER[meter];
  if (feature) await addTenantUsage(runner, tenantId, feature, amount);
}

/** An end user consumes and checks only their own usage; a secret key names any user. */
function assertOwnUser(identity: Identity, userId: string): void {
  if (identity.userId && identity.userId !== userId) throw new DomainError('FORBIDDEN', 'user_id must match the authenticated user');
}

function snapshotOf(usage: CurrentUsage): CurrentUsageSnapshot {
  const { organizationId: _organizationId, error: _error, periodStart, periodEnd, ...rest } = usage;
  return { ...rest, periodStart: periodStart.toISOString(), periodEnd: periodEnd.toISOString() };
}

/** A snapshot carried by an event, back in the GraphQL type's shape. */
export function currentUsageFromSnapshot(organizationId: string, snapshot: CurrentUsageSnapshot): CurrentUsage {
  return { ...snapshot, organizationId, periodStart: new Date(snapshot.periodStart), periodEnd: new Date(snapshot.periodEnd), error: null };
}
