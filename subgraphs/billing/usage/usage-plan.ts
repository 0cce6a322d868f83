import { rowsOf, type SqlRunner } from '../../../src/db/sql-runner';
import { LIVE_STATUSES, type SubscriptionOwner } from '../subscription/billing-period';

/**
 * The id and name of the plan whose limits apply to the owner (the rule of `planLimitsOf`: the
 * live subscription's plan, else the tenant's free plan), for usage reports.
 * TODO(billing): fold into `planLimitsOf` so the rule lives once.
 */
export async function planNameOf(runner: SqlRunner, tenantId: string, owner: SubscriptionOwner): Promise<{ id: string; name: string } | null> {
  const ownerSql = owner.organizationId ? 'organization_id = $2' : 'user_id = $2 AND organization_id IS NULL';
  const [row] = rowsOf(
    await runner.query(
      `SELECT p.id, p.name FROM billing.plans p
        WHERE p.tenant_id = $1 AND p.id = COALESCE(
          (SELECT plan_id FROM billing.subscriptions
            WHERE tenant_id = $1 AND ${ownerSql} AND status = ANY($3) ORDER BY created_at DESC LIMIT 1),
          (SELECT id FROM billing.plans WHERE tenant_id = $1 AND is_free AND archived_at IS NULL ORDER BY created_at LIMIT 1))`,
      [tenantId, owner.organizationId ?? owner.userId, [...LIVE_STATUSES]],
    ),
  );
  return row ? { id: row.id, name: row.name } : null;
}
