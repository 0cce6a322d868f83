import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { BillingErrors } from '../billing.errors';
import type { Plan } from '../plan/plan.entity';
import type { PlanService } from '../plan/plan.service';
import type { SubscriptionOwner } from '../subscription/billing-period';
import type { BillingInterval } from '../subscription/subscription.entity';
import type { ProviderSubscriptionIds, SubscriptionService } from '../subscription/subscription.service';
import { CheckoutSession } from './checkout-session.entity';
import type { PaymentProviders } from './payment-providers';

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
    private readonly providers: PaymentProviders,
  ) {}

  async start(
    tenantId: string,
    owner: SubscriptionOwner,
    request: { planId: string; interval?: BillingInterval | null; successUrl: string; cancelUrl: string },
  ): Promise<StartedCheckout> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.plans.subscribable(manager, tenantId, request.planId);
      const provider = await this.providers.forTenant(manager, tenantId);
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
        provider: provider.name,
        providerSessionId: null,
        expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      });
      await repository.save(session);
      // inside the transaction: a provider failure leaves no session behind
      const hosted = await provider.startCheckout({ sessionId: session.id, tenantId, plan, interval: session.billingInterval, successUrl: session.successUrl, cancelUrl: session.cancelUrl });
      if (hosted.providerSessionId) await repository.update(session.id, { providerSessionId: (session.providerSessionId = hosted.providerSessionId) });
      return { session, checkoutUrl: hosted.url, plan };
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
      if (session.provider !== 'local') throw new DomainError(BillingErrors.CHECKOUT_NOT_LOCAL);
      if (session.status !== 'open' || session.expiresAt.getTime() <= Date.now()) throw new DomainError(BillingErrors.CHECKOUT_CLOSED);
      return this.complete(manager, session);
    });
  }

  /**
   * The provider reports a paid checkout (Stripe's checkout.session.completed): as a local
   * confirmation, with Stripe's customer and subscription recorded; Stripe invoices from then on.
   * Null when the session is unknown to the tenant or already completed (nothing changes).
   */
  async completeByProvider(
    manager: EntityManager,
    tenantId: string,
    sessionId: string,
    external: { provider: string; providerSessionId: string; providerCustomerId: string | null; providerSubscriptionId: string | null },
  ): Promise<CheckoutSession | null> {
    const repository = manager.getRepository(CheckoutSession);
    const session = await repository.findOne({ where: { tenantId, id: sessionId, provider: external.provider, providerSessionId: external.providerSessionId }, lock: { mode: 'pessimistic_write' } });
    if (!session || session.status === 'completed') return null;
    return this.complete(manager, session, external);
  }

  private async complete(manager: EntityManager, session: CheckoutSession, external?: ProviderSubscriptionIds): Promise<CheckoutSession> {
    const { tenantId } = session;
    const owner = session.organizationId ? { organizationId: session.organizationId } : { userId: session.userId! };
    const live = await this.subscriptions.live(tenantId, owner);
    const subscription = live
      ? (await this.subscriptions.changePlan(tenantId, live.id, session.planId, manager, external)).subscription
      : await this.subscriptions.subscribe(tenantId, owner, session.planId, { interval: session.billingInterval, external }, manager);
    Object.assign(session, { status: 'completed', subscriptionId: subscription.id });
    await manager.getRepository(CheckoutSession).save(session);
    return session;
  }
}
