import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { DomainError, validationError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderById } from '../../../src/federation/loaders';
import type { Page } from '../../../src/federation/list-args';
import { BillingErrors } from '../billing.errors';
import { DEFAULT_FREE_PLAN } from './default-plan';
import { toMinorUnits } from './money';
import { Plan } from './plan.entity';
import { PlanArchived, PlanCreated, PlanUpdated } from './plan.events';
import type { CreatePlanInput, PlanListArgs, UpdatePlanInput } from './plan.types';

function minor(amount: number, field: string, decimals = 2): number {
  const value = toMinorUnits(amount, decimals);
  if (value === undefined) throw validationError([{ field, message: `must have at most ${decimals} decimals` }]);
  return value;
}

const optionalMinor = (amount: number | null | undefined, field: string, decimals: number) =>
  amount === null || amount === undefined ? amount : minor(amount, field, decimals);

export class PlanService {
  constructor(private readonly dataSource: DataSource) {}

  private readonly planById = loaderById<Plan>('billing-plan-by-id', (tenantId, ids) =>
    this.dataSource.getRepository(Plan).findBy(ids.map((id) => ({ tenantId, id }))),
  );

  /** The tenant's default free plan, created the first time anyone needs it (once: a unique index). */
  async ensureDefaultPlan(runner: EntityManager | DataSource, tenantId: string): Promise<Plan> {
    const repository = runner.getRepository(Plan);
    const existing = await repository.findOneBy({ tenantId, isDefault: true });
    if (existing) return existing;
    return runner.transaction(async (manager) => {
      const inserted = await manager.query(
        `INSERT INTO billing.plans (tenant_id, name, description, price_monthly_minor, price_yearly_minor, currency, is_free, is_default,
           features, max_messages_per_month, max_tokens_per_month, max_cost_micro_usd_per_month, trial_days)
         VALUES ($1, $2, $3, 0, 0, $4, true, true, $5, $6, $7, $8, 0)
         ON CONFLICT (tenant_id) WHERE is_default DO NOTHING RETURNING id`,
        [tenantId, DEFAULT_FREE_PLAN.name, DEFAULT_FREE_PLAN.description, DEFAULT_FREE_PLAN.currency, JSON.stringify(DEFAULT_FREE_PLAN.features),
          DEFAULT_FREE_PLAN.maxMessagesPerMonth, DEFAULT_FREE_PLAN.maxTokensPerMonth, DEFAULT_FREE_PLAN.maxCostMicroUsdPerMonth],
      );
      const plan = await manager.getRepository(Plan).findOneByOrFail({ tenantId, isDefault: true });
      if (inserted.length) await emit(manager, PlanCreated, tenantId, { planId: plan.id, name: plan.name, isFree: true });
      return plan;
    });
  }

  async list(tenantId: string, args: PlanListArgs): Promise<Page<Plan>> {
    await this.ensureDefaultPlan(this.dataSource, tenantId);
    const [items, total] = await this.dataSource.getRepository(Plan).findAndCount({
      where: args.includeInactive ? { tenantId } : { tenantId, archivedAt: IsNull() },
      order: { priceMonthlyCents: 'ASC', createdAt: 'ASC' },
      skip: args.skip,
      take: args.limit,
    });
    return { items, total };
  }

  /** Active plans, cheapest first; `freeOnly` for sign-up flows. */
  async active(tenantId: string, freeOnly = false): Promise<Plan[]> {
    await this.ensureDefaultPlan(this.dataSource, tenantId);
    return this.dataSource.getRepository(Plan).find({
      where: { tenantId, archivedAt: IsNull(), ...(freeOnly ? { isFree: true } : {}) },
      order: { priceMonthlyCents: 'ASC', createdAt: 'ASC' },
    });
  }

  async get(context: SubgraphContext, tenantId: string, planId: string): Promise<Plan> {
    const plan = await load(context, this.planById, tenantId, planId);
    if (!plan) throw new DomainError('NOT_FOUND', 'Plan not found');
    return plan;
  }

  /** A plan new subscriptions may take (the tenant's, not archived). */
  async subscribable(runner: EntityManager, tenantId: string, planId: string): Promise<Plan> {
    const plan = await runner.getRepository(Plan).findOneBy({ tenantId, id: planId });
    if (!plan) throw new DomainError('NOT_FOUND', 'Plan not found');
    if (plan.archivedAt) throw new DomainError(BillingErrors.PLAN_ARCHIVED);
    return plan;
  }

  async create(tenantId: string, input: CreatePlanInput): Promise<Plan> {
    const priceMonthlyCents = minor(input.priceMonthly, 'priceMonthly');
    const priceYearlyCents = minor(input.priceYearly, 'priceYearly');
    await this.ensureDefaultPlan(this.dataSource, tenantId);
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(Plan);
      const plan = repository.create({
        tenantId,
        name: input.name,
        description: input.description ?? null,
        priceMonthlyCents,
        priceYearlyCents,
        currency: input.currency,
        // a plan is free exactly when it costs nothing
        isFree: input.isFree || (priceMonthlyCents === 0 && priceYearlyCents === 0),
        isDefault: false,
        features: input.features,
        maxMessagesPerMonth: input.maxMessagesPerMonth ?? null,
        maxTokensPerMonth: input.maxTokensPerMonth ?? null,
        maxCostMicroUsdPerMonth: optionalMinor(input.maxCostUsdPerMonth, 'maxCostUsdPerMonth', 6) ?? null,
        trialDays: input.trialDays,
        providerProductId: null,
        providerPriceIdMonthly: null,
        providerPriceIdYearly: null,
        archivedAt: null,
      });
      await repository.save(plan);
      await emit(manager, PlanCreated, tenantId, { planId: plan.id, name: plan.name, isFree: plan.isFree });
      return plan;
    });
  }

  async update(tenantId: string, planId: string, input: UpdatePlanInput): Promise<Plan> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(Plan);
      const plan = await repository.findOne({ where: { tenantId, id: planId }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new DomainError('NOT_FOUND', 'Plan not found');
      const changes: Partial<Plan> = {};
      if (input.name !== undefined && input.name !== null) changes.name = input.name;
      if (input.description !== undefined) changes.description = input.description;
      if (input.priceMonthly !== undefined && input.priceMonthly !== null) changes.priceMonthlyCents = minor(input.priceMonthly, 'priceMonthly');
      if (input.priceYearly !== undefined && input.priceYearly !== null) changes.priceYearlyCents = minor(input.priceYearly, 'priceYearly');
      if (input.features !== undefined && input.features !== null) changes.features = input.features;
      if (input.maxMessagesPerMonth !== undefined) changes.maxMessagesPerMonth = input.maxMessagesPerMonth;
      if (input.maxTokensPerMonth !== undefined) changes.maxTokensPerMonth = input.maxTokensPerMonth;
      if (input.maxCostUsdPerMonth !== undefined) changes.maxCostMicroUsdPerMonth = optionalMinor(input.maxCostUsdPerMonth, 'maxCostUsdPerMonth', 6) ?? null;
      Object.assign(plan, changes);
      await repository.save(plan);
      await emit(manager, PlanUpdated, tenantId, { planId, changed: Object.keys(changes) });
      return plan;
    });
  }

  /** Archived plans take no new subscriptions; existing ones keep them. */
  async archive(tenantId: string, planId: string): Promise<Plan> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(Plan);
      const plan = await repository.findOne({ where: { tenantId, id: planId }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new DomainError('NOT_FOUND', 'Plan not found');
      if (plan.isDefault) throw new DomainError(BillingErrors.DEFAULT_PLAN);
      if (!plan.archivedAt) {
        plan.archivedAt = new Date();
        await repository.save(plan);
        await emit(manager, PlanArchived, tenantId, { planId });
      }
      return plan;
    });
  }
}
