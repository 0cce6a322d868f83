import type { DataSource } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { BillingErrors } from '../billing.errors';
import type { Plan } from '../plan/plan.entity';
import type { PlanService } from '../plan/plan.service';
import type { SubscriptionOwner } from '../subscription/billing-period';
import type { BillingInterval } from '../subscription/subscription.entity';
import type { SubscriptionService } from '../subscription/subscription.service';
import { CheckoutSession } from './checkout-session.entity';
import type { PaymentProvider } from './payment-provider';

/** How long a checkout page stays open (Stripe's default is 24 h). */
const SESSION_TTL_MS = 24 * 3_600_000;

export interface StartedCheckout {
  session: CheckoutSession;
  checkoutUrl: string;
  plan: Plan;
}

export class CheckoutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly plans: PlanService,
    private readonly subscriptions: SubscriptionService,
    private readonly provider: PaymentProvider,
  ) {}

  async start(
    tenantId: string,
    owner: SubscriptionOwner,
    request: { planId: string; interval?: BillingInterval | null; successUrl: string; cancelUrl: string },
  ): Promise<StartedCheckout> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.plans.subscribable(manager, tenantId, request.planId);
      const repository = manager.getRepository(CheckoutSession);
      const session = repository.create({
        tenantId,
        organizationId: owner.organizationId ?? null,
        userId: owner.userId ?? null,
        planId: plan.id,
        billingInterval: request.interval ?? 'month',
        status: 'open',
        successUrl: request.successUrl,
        cancelUrl: request.cancelUrl,
        subscriptionId: null,
        provider: this.provider.name,
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      });
      await repository.save(session);
      const checkoutUrl = await this.provider.checkoutUrl({ sessionId: session.id, tenantId, plan, interval: session.billingInterval, successUrl: session.successUrl, cancelUrl: session.cancelUrl });
      return { session, checkoutUrl, plan };
    });
  }

  async get(tenantId: string, sessionId: string): Promise<CheckoutSession> {
    const session = await this.dataSource.getRepository(CheckoutSession).findOneBy({ tenantId, id: sessionId });
    if (!session) throw new DomainError('NOT_FOUND', 'Checkout session not found');
    return session;
  }

  /**
   * The customer confirmed on the local checkout page: the owner subscribes to the plan, or its
   * live subscription changes to it, in the same transaction as the session closes.
   */
  async confirm(tenantId: string, sessionId: string): Promise<CheckoutSession> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(CheckoutSession);
      const session = await repository.findOne({ where: { tenantId, id: sessionId }, lock: { mode: 'pessimistic_write' } });
      if (!session) throw new DomainError('NOT_FOUND', 'Checkout session not found');
      if (session.status !== 'open' || session.expiresAt.getTime() <= Date.now()) throw new DomainError(BillingErrors.CHECKOUT_CLOSED);
      const owner = session.organizationId ? { organizationId: session.organizationId } : { userId: session.userId! };
      const live = await this.subscriptions.live(tenantId, owner);
      const subscription = live
        ? (await this.subscriptions.changePlan(tenantId, live.id, session.planId, manager)).subscription
        : await this.subscriptions.subscribe(tenantId, owner, session.planId, { interval: session.billingInterval }, manager);
      Object.assign(session, { status: 'completed', subscriptionId: subscription.id });
      await repository.save(session);
      return session;
    });
  }
}
