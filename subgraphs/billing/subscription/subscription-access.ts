import { DomainError } from '../../../src/errors';
import { serverScopes, type Identity } from '../../../src/identity';
import type { SubgraphContext } from '../../../src/federation/context';
import { keyPermissions, OrgPermissions, roleGrants, type RoleOf } from '../../../src/federation/organization-access';
import { BillingScopes } from '../billing.scopes';
import type { BillingSubscription } from './subscription.entity';

type Need = 'read' | 'manage';

function keyHoldsAny(identity: Identity, scopes: readonly string[]): boolean {
  const held = serverScopes(identity);
  return held.includes('*') || scopes.some((scope) => held.includes(scope));
}
const PERMISSION = { read: OrgPermissions.BILLING_READ, manage: OrgPermissions.BILLING_MANAGE } as const;
const SCOPES = { read: [BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite], manage: [BillingScopes.subscriptionsWrite] } as const;

/**
 * "The user must own the subscription" (001): a personal subscription is its user's; an
 * organization's is for the members whose role grants BILLING_READ / BILLING_MANAGE. A secret key
 * with the subscriptions scopes (or the organization permissions) acts on any of its tenant's.
 */
export class SubscriptionAccess {
  constructor(private readonly roleOf: RoleOf) {}

  /** Throws 404 when the caller may not know of it, 403 when they may see it but not do `need`. */
  async require(context: SubgraphContext, subscription: BillingSubscription, need: Need, hiddenAs: 'NOT_FOUND' | 'FORBIDDEN' = 'NOT_FOUND'): Promise<void> {
    const verdict = await this.verdict(context, subscription, need);
    if (verdict === 'hidden') throw new DomainError(hiddenAs, hiddenAs === 'NOT_FOUND' ? 'Subscription not found' : 'You do not own this subscription');
    if (verdict === 'forbidden') throw new DomainError('FORBIDDEN', `Requires ${PERMISSION[need]} on this subscription`);
  }

  /** For an organization the caller names: its role must grant `need` (a key: its scopes or permissions). */
  async requireOrganization(context: SubgraphContext, organizationId: string, need: Need): Promise<void> {
    const { identity } = context;
    if (keyHoldsAny(identity, SCOPES[need]) || keyPermissions(identity).includes(PERMISSION[need])) return;
    const role = identity.userId ? await this.roleOf(context, identity.tenantId!, identity.userId, organizationId) : null;
    if (!role) throw new DomainError('NOT_FOUND', 'Organization not found');
    if (!roleGrants(role, PERMISSION[need])) throw new DomainError('FORBIDDEN', `Your role (${role}) lacks ${PERMISSION[need]} in this organization`);
  }

  private async verdict(context: SubgraphContext, subscription: BillingSubscription, need: Need): Promise<'ok' | 'hidden' | 'forbidden'> {
    const { identity } = context;
    if (keyHoldsAny(identity, SCOPES[need])) return 'ok';
    if (subscription.organizationId && keyPermissions(identity).includes(PERMISSION[need])) return 'ok';
    if (!identity.userId) return 'forbidden';
    if (!subscription.organizationId) return subscription.userId === identity.userId ? 'ok' : 'hidden';
    const role = await this.roleOf(context, subscription.tenantId, identity.userId, subscription.organizationId);
    if (!role) return 'hidden';
    return roleGrants(role, PERMISSION[need]) ? 'ok' : 'forbidden';
  }
}
