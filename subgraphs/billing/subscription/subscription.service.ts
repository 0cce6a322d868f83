import { In, IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { BillingErrors } from '../billing.errors';
import type { ProviderSubscriptionChange } from '../payment/payment-provider';
import type { PaymentProviders } from '../payment/payment-providers';
import { Plan } from '../plan/plan.entity';
import type { PlanService } from '../plan/plan.service';
import { addMonths, LIVE_STATUSES, type SubscriptionOwner } from './billing-period';
import { Invoice } from './invoice.entity';
import { invoiceSubscription, priceFor, prorate } from './invoicing';
import { BillingSubscription, type BillingInterval } from './subscription.entity';
import { SubscriptionCancelled, SubscriptionCreated, SubscriptionRenewed, SubscriptionUpdated } from './subscription.events';

const DAY_MS = 86_400_000;
const monthsOf = (interval: BillingInterval) => (interval === 'year' ? 12 : 1);

export interface SubscriptionChanges {
  planId?: string | null;
  interval?: BillingInterval | null;
  metadata?: Record<string, unknown> | null;
}

/** A subscription the payment provider runs (Stripe): it invoices and reports through its webhook. */
export interface ProviderSubscriptionIds {
  provider: string;
  providerCustomerId: string | null;
  providerSubscriptionId: string | null;
}

/** What a plan change did: an upgrade applies now (prorated), a downgrade at the period's end. */
export interface PlanChange {
  subscription: BillingSubscription;
  plan: Plan;
  effective: 'now' | 'period_end';
}

const ownerWhere = (tenantId: string, owner: SubscriptionOwner) =>
  owner.organizationId ? { tenantId, organizationId: owner.organizationId } : { tenantId, organizationId: IsNull(), userId: owner.userId };

export class SubscriptionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly plans: PlanService,
    private readonly providers: PaymentProviders,
  ) {}

  /** The owner's live subscription (active, trialing or past due), its period rolled over to `now`. */
  async live(tenantId: string, owner: SubscriptionOwner, now = new Date()): Promise<BillingSubscription | null> {
    const found = await this.dataSource.getRepository(BillingSubscription).findOne({
      where: { ...ownerWhere(tenantId, owner), status: In([...LIVE_STATUSES]) },
      order: { createdAt: 'DESC' },
    });
    if (!found) return null;
    const current = await this.rollOver(found, now);
    return (LIVE_STATUSES as readonly string[]).includes(current.status) ? current : null;
  }

  /** Any subscription of the tenant by id (rolled over to `now`), or null. */
  async byId(tenantId: string, subscriptionId: string, now = new Date()): Promise<BillingSubscription | null> {
    const found = await this.dataSource.getRepository(BillingSubscription).findOneBy({ tenantId, id: subscriptionId });
    return found ? this.rollOver(found, now) : null;
  }

  async invoices(tenantId: string, owner: SubscriptionOwner, limit: number): Promise<Invoice[]> {
    return this.dataSource.getRepository(Invoice).find({
      where: owner.organizationId ? { tenantId, organizationId: owner.organizationId } : { tenantId, userId: owner.userId, organizationId: IsNull() },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  /** Whether billing has ever known the organization (billing keeps no copy of tenancy's organizations). */
  async knowsOrganization(tenantId: string, organizationId: string): Promise<boolean> {
    return this.dataSource.getRepository(BillingSubscription).existsBy({ tenantId, organizationId });
  }

  plan(context: SubgraphContext, tenantId: string, planId: string): Promise<Plan> {
    return this.plans.get(context, tenantId, planId);
  }

  /** Starts a subscription: trialing when the plan has trial days, else active with the first period invoiced. */
  async subscribe(
    tenantId: string,
    owner: SubscriptionOwner,
    planId: string,
    options: { interval?: BillingInterval | null; metadata?: Record<string, unknown> | null; external?: ProviderSubscriptionIds } = {},
    runner?: EntityManager,
  ): Promise<BillingSubscription> {
    const work = async (manager: EntityManager) => {
      const plan = await this.plans.subscribable(manager, tenantId, planId);
      const provider = options.external ? this.providers.byName(options.external.provider) : await this.providers.forTenant(manager, tenantId);
      const repository = manager.getRepository(BillingSubscription);
      if (await repository.existsBy({ ...ownerWhere(tenantId, owner), status: Not('cancelled') })) throw new DomainError(BillingErrors.ALREADY_SUBSCRIBED);
      const now = new Date();
      const interval = options.interval ?? 'month';
      const trialEnd = plan.trialDays > 0 ? new Date(now.getTime() + plan.trialDays * DAY_MS) : null;
      const subscription = repository.create({
        tenantId,
        organizationId: owner.organizationId ?? null,
        userId: owner.organizationId ? null : owner.userId,
        planId: plan.id,
        pendingPlanId: null,
        billingInterval: interval,
        status: trialEnd ? 'trialing' : 'active',
        currentPeriodStart: now,
        currentPeriodEnd: trialEnd ?? addMonths(now, monthsOf(interval)),
        cancelAtPeriodEnd: false,
        cancelledAt: null,
        trialStart: trialEnd ? now : null,
        trialEnd,
        metadata: options.metadata ?? {},
        provider: provider.name,
        providerCustomerId: options.external?.providerCustomerId ?? null,
        providerSubscriptionId: options.external?.providerSubscriptionId ?? null,
      });
      try {
        await repository.save(subscription);
      } catch (error) {
        if (uniqueViolation(error) !== undefined) throw new DomainError(BillingErrors.ALREADY_SUBSCRIBED);
        throw error;
      }
      if (!trialEnd) {
        const paid = await invoiceSubscription(manager, provider, subscription, plan, {
          kind: 'period', amountMinor: priceFor(plan, interval), periodStart: subscription.currentPeriodStart, periodEnd: subscription.currentPeriodEnd,
        });
        if (!paid) await repository.update(subscription.id, { status: (subscription.status = 'incomplete') });
      }
      await emit(manager, SubscriptionCreated, tenantId, { ...this.ownerOf(subscription), planId: plan.id, status: subscription.status });
      return subscription;
    };
    if (runner) return work(runner);
    await this.live(tenantId, owner); // a passed period's cancellation frees the owner to subscribe again
    return this.dataSource.transaction(work);
  }

  /** Plan, billing cycle (from the next period) and metadata. */
  async update(tenantId: string, subscriptionId: string, changes: SubscriptionChanges): Promise<BillingSubscription> {
    return this.dataSource.transaction(async (manager) => {
      if (changes.planId) await this.changePlan(tenantId, subscriptionId, changes.planId, manager);
      const subscription = await this.locked(manager, tenantId, subscriptionId);
      const changed: string[] = changes.planId ? ['planId'] : [];
      if (changes.interval && changes.interval !== subscription.billingInterval) {
        subscription.billingInterval = changes.interval;
        changed.push('billingInterval');
      }
      if (changes.metadata) {
        subscription.metadata = changes.metadata;
        changed.push('metadata');
      }
      if (changed.length > (changes.planId ? 1 : 0)) {
        await manager.getRepository(BillingSubscription).save(subscription);
        await emit(manager, SubscriptionUpdated, tenantId, { ...this.ownerOf(subscription), planId: subscription.planId, status: subscription.status, changed });
      }
      return subscription;
    });
  }

  /**
   * Upgrade (a higher price for the subscription's cycle): the new plan now, the rest of the
   * period's difference invoiced. Downgrade or same price: scheduled for the period's end.
   * Choosing the current plan again drops a scheduled downgrade.
   */
  async changePlan(tenantId: string, subscriptionId: string, newPlanId: string, runner?: EntityManager, external?: ProviderSubscriptionIds): Promise<PlanChange> {
    const work = async (manager: EntityManager): Promise<PlanChange> => {
      const subscription = await this.locked(manager, tenantId, subscriptionId);
      if (subscription.status === 'cancelled') throw new DomainError(BillingErrors.SUBSCRIPTION_NOT_CANCELLABLE, 'This subscription is cancelled; start a new one');
      const repository = manager.getRepository(BillingSubscription);
      if (external) {
        // paid on the provider's checkout: the new plan applies now, and the provider runs the subscription from here
        const next = await this.plans.subscribable(manager, tenantId, newPlanId);
        Object.assign(subscription, { ...external, planId: next.id, pendingPlanId: null });
        await repository.save(subscription);
        await emit(manager, SubscriptionUpdated, tenantId, { ...this.ownerOf(subscription), planId: next.id, status: subscription.status, changed: ['planId', 'provider'] });
        return { subscription, plan: next, effective: 'now' };
      }
      const current = await manager.getRepository(Plan).findOneByOrFail({ tenantId, id: subscription.planId });
      if (newPlanId === subscription.planId) {
        if (!subscription.pendingPlanId) throw new DomainError(BillingErrors.SAME_PLAN);
        subscription.pendingPlanId = null;
        await repository.save(subscription);
        await emit(manager, SubscriptionUpdated, tenantId, { ...this.ownerOf(subscription), planId: current.id, status: subscription.status, changed: ['pendingPlanId'] });
        return { subscription, plan: current, effective: 'now' };
      }
      const next = await this.plans.subscribable(manager, tenantId, newPlanId);
      const currentPrice = priceFor(current, subscription.billingInterval);
      const nextPrice = priceFor(next, subscription.billingInterval);
      await this.tellProvider(subscription, { kind: 'change_plan', plan: next, interval: subscription.billingInterval, prorate: nextPrice > currentPrice });
      if (nextPrice <= currentPrice) {
        subscription.pendingPlanId = next.id;
        await repository.save(subscription);
        await emit(manager, SubscriptionUpdated, tenantId, { ...this.ownerOf(subscription), planId: current.id, status: subscription.status, changed: ['pendingPlanId'] });
        return { subscription, plan: next, effective: 'period_end' };
      }
      const now = new Date();
      const period = { start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd };
      const onTrial = subscription.status === 'trialing';
      Object.assign(subscription, { planId: next.id, pendingPlanId: null });
      const paid = await invoiceSubscription(manager, this.providers.byName(subscription.provider), subscription, next, {
        kind: 'proration', amountMinor: onTrial ? 0 : prorate(nextPrice - currentPrice, period, now), periodStart: now, periodEnd: period.end,
      });
      if (!paid) subscription.status = 'past_due';
      await repository.save(subscription);
      await emit(manager, SubscriptionUpdated, tenantId, { ...this.ownerOf(subscription), planId: next.id, status: subscription.status, changed: ['planId'] });
      return { subscription, plan: next, effective: 'now' };
    };
    return runner ? work(runner) : this.dataSource.transaction(work);
  }

  /** At period end: access until then, then cancelled by the rollover. Now: cancelled at once. */
  async cancel(tenantId: string, subscriptionId: string, atPeriodEnd: boolean): Promise<BillingSubscription> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.locked(manager, tenantId, subscriptionId);
      if (subscription.status === 'cancelled') throw new DomainError(BillingErrors.SUBSCRIPTION_NOT_CANCELLABLE);
      await this.tellProvider(subscription, { kind: 'cancel', atPeriodEnd });
      const now = new Date();
      if (atPeriodEnd) subscription.cancelAtPeriodEnd = true;
      else Object.assign(subscription, { status: 'cancelled', cancelledAt: now, cancelAtPeriodEnd: false, pendingPlanId: null });
      await manager.getRepository(BillingSubscription).save(subscription);
      const endsAt = atPeriodEnd ? subscription.currentPeriodEnd : now;
      await emit(manager, SubscriptionCancelled, tenantId, { ...this.ownerOf(subscription), atPeriodEnd, endsAt: endsAt.toISOString() });
      return subscription;
    });
  }

  /** Undoes a cancellation scheduled for the period's end. */
  async resume(tenantId: string, subscriptionId: string): Promise<BillingSubscription> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.locked(manager, tenantId, subscriptionId);
      if (subscription.status === 'cancelled' || !subscription.cancelAtPeriodEnd) throw new DomainError(BillingErrors.SUBSCRIPTION_NOT_RESUMABLE);
      await this.tellProvider(subscription, { kind: 'resume' });
      subscription.cancelAtPeriodEnd = false;
      await manager.getRepository(BillingSubscription).save(subscription);
      await emit(manager, SubscriptionUpdated, tenantId, { ...this.ownerOf(subscription), planId: subscription.planId, status: subscription.status, changed: ['cancelAtPeriodEnd'] });
      return subscription;
    });
  }

  /** A subscription the provider runs: the provider hears of the change first (its refusal changes nothing here). */
  private async tellProvider(subscription: BillingSubscription, change: ProviderSubscriptionChange): Promise<void> {
    if (!subscription.providerSubscriptionId) return;
    await this.providers.byName(subscription.provider).updateSubscription?.(subscription.tenantId, subscription.providerSubscriptionId, change);
  }

  private async locked(manager: EntityManager, tenantId: string, subscriptionId: string): Promise<BillingSubscription> {
    const found = await manager.getRepository(BillingSubscription).findOne({ where: { tenantId, id: subscriptionId }, lock: { mode: 'pessimistic_write' } });
    if (!found) throw new DomainError('NOT_FOUND', 'Subscription not found');
    return this.rollOverLocked(manager, found, new Date());
  }

  /** Lazily applies every period end passed since the last read (no job needed; idempotent under the row lock). */
  private async rollOver(subscription: BillingSubscription, now: Date): Promise<BillingSubscription> {
    if (subscription.status === 'cancelled' || subscription.currentPeriodEnd.getTime() > now.getTime()) return subscription;
    return this.dataSource.transaction(async (manager) => {
      const locked = await manager.getRepository(BillingSubscription).findOneOrFail({ where: { id: subscription.id }, lock: { mode: 'pessimistic_write' } });
      return this.rollOverLocked(manager, locked, now);
    });
  }

  private async rollOverLocked(manager: EntityManager, subscription: BillingSubscription, now: Date): Promise<BillingSubscription> {
    const changed = subscription.status !== 'cancelled' && subscription.currentPeriodEnd.getTime() <= now.getTime();
    while (subscription.status !== 'cancelled' && subscription.currentPeriodEnd.getTime() <= now.getTime()) {
      const endedAt = subscription.currentPeriodEnd;
      if (subscription.cancelAtPeriodEnd) {
        Object.assign(subscription, { status: 'cancelled', cancelledAt: endedAt, cancelAtPeriodEnd: false, pendingPlanId: null });
        break;
      }
      if (subscription.pendingPlanId) Object.assign(subscription, { planId: subscription.pendingPlanId, pendingPlanId: null });
      if (subscription.status === 'trialing') subscription.status = 'active';
      subscription.currentPeriodStart = endedAt;
      subscription.currentPeriodEnd = addMonths(endedAt, monthsOf(subscription.billingInterval));
      const plan = await manager.getRepository(Plan).findOneByOrFail({ tenantId: subscription.tenantId, id: subscription.planId });
      const paid = await invoiceSubscription(manager, this.providers.byName(subscription.provider), subscription, plan, {
        kind: 'period', amountMinor: priceFor(plan, subscription.billingInterval), periodStart: subscription.currentPeriodStart, periodEnd: subscription.currentPeriodEnd,
      });
      // unpaid for a second period in a row: stop retrying (Stripe's "unpaid")
      if (!paid) subscription.status = subscription.status === 'past_due' ? 'unpaid' : 'past_due';
      await emit(manager, SubscriptionRenewed, subscription.tenantId, {
        ...this.ownerOf(subscription), planId: plan.id,
        periodStart: subscription.currentPeriodStart.toISOString(), periodEnd: subscription.currentPeriodEnd.toISOString(),
      });
    }
    if (!changed) return subscription;
    await manager.getRepository(BillingSubscription).save(subscription);
    if (subscription.status === 'cancelled') {
      await emit(manager, SubscriptionCancelled, subscription.tenantId, { ...this.ownerOf(subscription), atPeriodEnd: true, endsAt: subscription.cancelledAt!.toISOString() });
    }
    return subscription;
  }

  private ownerOf(subscription: BillingSubscription) {
    return { subscriptionId: subscription.id, organizationId: subscription.organizationId, userId: subscription.userId };
  }
}
