import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requireTenant, RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { PageOf, type Page } from '../../../src/federation/list-args';
import { BillingScopes } from '../billing.scopes';
import { Plan } from './plan.entity';
import type { PlanService } from './plan.service';
import { CreatePlanInput, PlanArgs, PlanListArgs, UpdatePlanInput } from './plan.types';

export const PlanPage = PageOf(Plan);

/** Plans are readable by the tenant's end users (pricing pages) and its server; written by its server. */
export function createPlanResolver(plans: PlanService) {
  @Resolver(() => Plan)
  class PlanResolver {
    @RequiresScopes(BillingScopes.plansRead, BillingScopes.plansWrite, SELF_SCOPE)
    @Query(() => PlanPage, { description: 'Plans, cheapest first (archived ones with includeInactive)' })
    plans(@Args() args: PlanListArgs, @Ctx() context: SubgraphContext): Promise<Page<Plan>> {
      return plans.list(requireTenant(context.identity), args);
    }

    @RequiresScopes(BillingScopes.plansRead, BillingScopes.plansWrite, SELF_SCOPE)
    @Query(() => [Plan], { description: 'Plans open to new subscriptions, cheapest first' })
    activePlans(@Ctx() context: SubgraphContext): Promise<Plan[]> {
      return plans.active(requireTenant(context.identity));
    }

    @RequiresScopes(BillingScopes.plansRead, BillingScopes.plansWrite, SELF_SCOPE)
    @Query(() => [Plan], { description: 'Free plans open to new subscriptions (sign-up flows)' })
    freePlans(@Ctx() context: SubgraphContext): Promise<Plan[]> {
      return plans.active(requireTenant(context.identity), true);
    }

    @RequiresScopes(BillingScopes.plansRead, BillingScopes.plansWrite, SELF_SCOPE)
    @Query(() => Plan, { description: "A plan of the caller's tenant (archived ones included)" })
    plan(@Args() { planId }: PlanArgs, @Ctx() context: SubgraphContext): Promise<Plan> {
      return plans.get(context, requireTenant(context.identity), planId);
    }

    @RequiresScopes(BillingScopes.plansWrite)
    @Mutation(() => Plan, { description: 'Add a plan to the price list (secret key with plans:write)' })
    createPlan(@Arg('input') input: CreatePlanInput, @Ctx() context: SubgraphContext): Promise<Plan> {
      return plans.create(requireTenant(context.identity), input);
    }

    @RequiresScopes(BillingScopes.plansWrite)
    @Mutation(() => Plan, { description: 'Change a plan; existing subscriptions pay the new price from their next period' })
    updatePlan(@Args() { planId }: PlanArgs, @Arg('input') input: UpdatePlanInput, @Ctx() context: SubgraphContext): Promise<Plan> {
      return plans.update(requireTenant(context.identity), planId, input);
    }

    @RequiresScopes(BillingScopes.plansWrite)
    @Mutation(() => Plan, { description: 'Close a plan to new subscriptions (existing ones keep it)' })
    archivePlan(@Args() { planId }: PlanArgs, @Ctx() context: SubgraphContext): Promise<Plan> {
      return plans.archive(requireTenant(context.identity), planId);
    }
  }
  return PlanResolver;
}
