import type { DataSource } from 'typeorm';
import type { SqlRunner } from '../../../src/db/sql-runner';
import { DomainError } from '../../../src/errors';
import { calendarMonth, type BillingPeriod } from '../subscription/billing-period';
import { addToCounter, countersOf } from '../usage/usage-counters';
import { BillingErrors } from '../billing.errors';
import { ENTITLEMENT_FEATURES, entitlementsOf, FEATURES, type Feature } from './entitlement-tiers';
import type { EntitlementCheck, EntitlementSummary, EntitlementUsage } from './entitlement.types';

/** Features that are totals (not monthly) share one period that never ends. */
const FOREVER: BillingPeriod = { start: new Date(0), end: new Date(Date.UTC(9999, 11, 31)) };
const TENANT_WIDE = {};

export function featurePeriod(feature: Feature, now = new Date()): BillingPeriod {
  return ENTITLEMENT_FEATURES[feature].monthly ? calendarMonth(now) : FOREVER;
}

/** Adds to the tenant-wide counter of a feature, without a limit (usage that already happened). */
export function addTenantUsage(runner: SqlRunner, tenantId: string, feature: Feature, amount: number): Promise<number | null> {
  return addToCounter(runner, tenantId, TENANT_WIDE, feature, featurePeriod(feature), amount);
}

/**
 * The tenant's own entitlements (000 "Entitlements"): its tier's limits per feature, usage in
 * tenant-wide counters changed by the same guarded upsert as usage metering.
 */
export class EntitlementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly upgradeUrl: string,
  ) {}

  private async usedOf(tenantId: string, feature: Feature): Promise<number> {
    return (await countersOf(this.dataSource, tenantId, TENANT_WIDE, featurePeriod(feature)))[feature] ?? 0;
  }

  async check(tenantId: string, tier: string, feature: Feature, quantity: number): Promise<EntitlementCheck> {
    const limit = entitlementsOf(tier)[feature];
    const used = await this.usedOf(tenantId, feature);
    const available = limit === null ? null : Math.max(0, limit - used);
    const allowed = limit === null || used + quantity <= limit;
    return {
      allowed,
      feature,
      reason: allowed ? null : 'LIMIT_EXCEEDED',
      message: allowed ? null : `${feature} limit exceeded. Used: ${used}, Limit: ${limit}`,
      currentUsage: used,
      limit,
      available,
      upgradeUrl: allowed ? null : this.upgradeUrl,
    };
  }

  /** All or nothing: 403 feature_limit_reached when the quantity would pass the tier's limit. */
  async record(tenantId: string, tier: string, feature: Feature, quantity: number): Promise<EntitlementUsage> {
    const limit = entitlementsOf(tier)[feature];
    const total = await addToCounter(this.dataSource, tenantId, TENANT_WIDE, feature, featurePeriod(feature), quantity, limit);
    if (total === null) throw new DomainError(BillingErrors.FEATURE_LIMIT_REACHED, `You have reached your limit for this feature (${feature}). Upgrade: ${this.upgradeUrl}`);
    return { recorded: true, feature, currentUsage: total, limit };
  }

  async summary(tenantId: string, tier: string): Promise<EntitlementSummary> {
    const limits = entitlementsOf(tier);
    const entitlements: Record<string, unknown> = {};
    for (const feature of FEATURES) {
      const used = await this.usedOf(tenantId, feature);
      const limit = limits[feature];
      const meta: { monthly: boolean; unit?: string } = ENTITLEMENT_FEATURES[feature];
      entitlements[feature] = {
        used,
        limit,
        available: limit === null ? null : Math.max(0, limit - used),
        percentage: limit === null ? 0 : limit === 0 ? 100 : Math.round((used * 10000) / limit) / 100,
        ...(meta.monthly ? { reset_at: featurePeriod(feature).end.toISOString() } : {}),
        ...(meta.unit ? { unit: meta.unit } : {}),
      };
    }
    return { workspaceId: tenantId, tier, entitlements };
  }
}
