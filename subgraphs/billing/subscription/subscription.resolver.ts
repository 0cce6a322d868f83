import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DomainError } from '../../../src/errors';
import { Policy, requireTenant, RequiresScopes, requireUser, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { OrgPermissions } from '../../../src/federation/organization-access';
import { BillingScopes } from '../billing.scopes';
import { Plan } from '../plan/plan.entity';
import type { PlanService } from '../plan/plan.service';
import { Invoice } from './invoice.entity';
import type { SubscriptionAccess } from './subscription-access';
import { BillingSubscription, intervalOf } from './subscription.entity';
import type { SubscriptionChanges, SubscriptionService } from './subscription.service';
import {
  AssignedPlan, AssignUserPlanArgs, AvailablePlans, BillingHistory, CancelOrganizationArgs, CancelSubscriptionArgs, CancelSubscriptionResult,
  ChangePlanArgs, ChangePlanResult, InvoiceListArgs, OrganizationBillingArgs, ServerCancelOrganizationArgs, ServerInvoiceListArgs,
  ServerOrganizationArgs, SubscribeArgs, SubscriptionArgs, SubscriptionChangeFields, UpdateOrganizationSubscriptionArgs, UpdateSubscriptionArgs,
} from './subscription.types';

const changesOf = (args: SubscriptionChangeFields): SubscriptionChanges => ({
  planId: args.planId,
  interval: args.billingCycle ? intervalOf(args.billingCycle) : null,
  metadata: args.metadata,
});

const cancelled = (subscription: BillingSubscription, atPeriodEnd: boolean): CancelSubscriptionResult => ({
  success: true,
  message: atPeriodEnd
    ? `Subscription will be cancelled at the end of the current period (${subscription.currentPeriodEnd.toISOString()})`
    : 'Subscription cancelled',
  cancelAtPeriodEnd: atPeriodEnd,
  subscription,
});

/**
 * Subscriptions of organizations (their billing roles decide) and of users (their own), and
 * the tenant server's billing fields (001's `sk_live_* ONLY` endpoints: key scopes, never a session).
 */
export function createSubscriptionResolver(subscriptions: SubscriptionService, plans: PlanService, access: SubscriptionAccess) {
  async function liveOfOrganization(tenantId: string, organizationId: string): Promise<BillingSubscription> {
    const subscription = await subscriptions.live(tenantId, { organizationId });
    if (!subscription) throw new DomainError('NOT_FOUND', 'This organization has no active subscription');
    return subscription;
  }

  async function owned(context: SubgraphContext, subscriptionId: string, need: 'read' | 'manage', hiddenAs?: 'NOT_FOUND' | 'FORBIDDEN') {
    const subscription = await subscriptions.byId(requireTenant(context.identity), subscriptionId);
    if (!subscription) throw new DomainError('NOT_FOUND', 'Subscription not found');
    await access.require(context, subscription, need, hiddenAs);
    return subscription;
  }

  async function cancelOrganization(tenantId: string, organizationId: string, atPeriodEnd: boolean) {
    const subscription = await liveOfOrganization(tenantId, organizationId);
    return subscriptions.cancel(tenantId, subscription.id, atPeriodEnd);
  }

  @Resolver(() => BillingSubscription)
  class SubscriptionResolver {
    // --- organizations: their members' billing roles, or a key with organization permissions

    @Policy(OrgPermissions.BILLING_READ)
    @Query(() => BillingSubscription, { nullable: true, description: "The organization's live subscription (null when none)" })
    organizationSubscription(@Args() { organizationId }: OrganizationBillingArgs, @Ctx() context: SubgraphContext) {
      return subscriptions.live(requireTenant(context.identity), { organizationId });
    }

    @Policy(OrgPermissions.BILLING_MANAGE)
    @Mutation(() => BillingSubscription, { description: 'Subscribe an organization to a plan (one live subscription per organization)' })
    subscribeOrganization(@Args() args: SubscribeArgs, @Ctx() context: SubgraphContext) {
      return subscriptions.subscribe(requireTenant(context.identity), { organizationId: args.organizationId }, args.planId, {
        interval: intervalOf(args.billingCycle),
        metadata: args.metadata,
      });
    }

    @Policy(OrgPermissions.BILLING_MANAGE)
    @Mutation(() => BillingSubscription, { description: "Change the organization's plan, billing cycle or metadata" })
    async updateOrganizationSubscription(@Args() args: UpdateOrganizationSubscriptionArgs, @Ctx() context: SubgraphContext) {
      const tenantId = requireTenant(context.identity);
      const subscription = await liveOfOrganization(tenantId, args.organizationId);
      return subscriptions.update(tenantId, subscription.id, changesOf(args));
    }

    @Policy(OrgPermissions.BILLING_MANAGE)
    @Mutation(() => CancelSubscriptionResult, { description: "Cancel the organization's subscription, at the period end (default) or now" })
    async cancelOrganizationSubscription(@Args() { organizationId, cancelAtPeriodEnd }: CancelOrganizationArgs, @Ctx() context: SubgraphContext) {
      return cancelled(await cancelOrganization(requireTenant(context.identity), organizationId, cancelAtPeriodEnd), cancelAtPeriodEnd);
    }

    @Policy(OrgPermissions.BILLING_READ)
    @Query(() => [Invoice], { description: "The organization's invoices, newest first" })
    organizationInvoices(@Args() { organizationId, limit }: InvoiceListArgs, @Ctx() context: SubgraphContext) {
      return subscriptions.invoices(requireTenant(context.identity), { organizationId }, limit);
    }

    // --- subscriptions by id: the owner (the user, or the organization's billing roles)

    @RequiresScopes(SELF_SCOPE)
    @Query(() => BillingSubscription, { description: "The signed-in user's personal live subscription" })
    async mySubscription(@Ctx() context: SubgraphContext) {
      const { tenantId, userId } = requireUser(context.identity);
      const subscription = await subscriptions.live(tenantId, { userId });
      if (!subscription) throw new DomainError('NOT_FOUND', 'No active subscription');
      return subscription;
    }

    @RequiresScopes(BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite, SELF_SCOPE)
    @Query(() => BillingSubscription, { description: 'A subscription the caller owns (theirs, or one of an organization whose billing they read)' })
    billingSubscription(@Args() { subscriptionId }: SubscriptionArgs, @Ctx() context: SubgraphContext) {
      return owned(context, subscriptionId, 'read');
    }

    @RequiresScopes(BillingScopes.subscriptionsWrite, SELF_SCOPE)
    @Mutation(() => BillingSubscription, { description: 'Change a subscription the caller owns: plan, billing cycle, metadata' })
    async updateSubscription(@Args() args: UpdateSubscriptionArgs, @Ctx() context: SubgraphContext) {
      const subscription = await owned(context, args.subscriptionId, 'manage', 'FORBIDDEN');
      return subscriptions.update(subscription.tenantId, subscription.id, changesOf(args));
    }

    @RequiresScopes(BillingScopes.subscriptionsWrite, SELF_SCOPE)
    @Mutation(() => BillingSubscription, { description: 'Cancel a subscription the caller owns, at the period end (default) or now' })
    async cancelSubscription(@Args() { subscriptionId, cancelAtPeriodEnd }: CancelSubscriptionArgs, @Ctx() context: SubgraphContext) {
      const subscription = await owned(context, subscriptionId, 'manage', 'FORBIDDEN');
      return subscriptions.cancel(subscription.tenantId, subscription.id, cancelAtPeriodEnd);
    }

    @RequiresScopes(BillingScopes.subscriptionsWrite, SELF_SCOPE)
    @Mutation(() => AssignedPlan, { description: "Put a user on a plan (a user only themself): their personal subscription starts or changes plan" })
    async assignUserPlan(@Args() { userId, planId }: AssignUserPlanArgs, @Ctx() context: SubgraphContext): Promise<AssignedPlan> {
      const tenantId = requireTenant(context.identity);
      if (context.identity.userId && context.identity.userId !== userId) throw new DomainError('FORBIDDEN', 'You can only assign plans to yourself');
      const live = await subscriptions.live(tenantId, { userId });
      if (!live) await subscriptions.subscribe(tenantId, { userId }, planId);
      else if (live.planId !== planId || live.pendingPlanId) await subscriptions.changePlan(tenantId, live.id, planId);
      return { success: true, userId, planId };
    }

    // --- the tenant's server (secret keys with subscriptions:*)

    @RequiresScopes(BillingScopes.plansRead, BillingScopes.plansWrite, BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite)
    @Query(() => AvailablePlans, { description: 'Plans a subscription may move to (secret key)' })
    async availablePlans(@Ctx() context: SubgraphContext): Promise<AvailablePlans> {
      return { success: true, plans: await plans.active(requireTenant(context.identity)) };
    }

    @RequiresScopes(BillingScopes.subscriptionsWrite)
    @Mutation(() => ChangePlanResult, { description: 'Upgrade now (prorated) or downgrade at the period end (secret key)' })
    async changeSubscriptionPlan(@Args() { subscriptionId, newPlanId }: ChangePlanArgs, @Ctx() context: SubgraphContext): Promise<ChangePlanResult> {
      const change = await subscriptions.changePlan(requireTenant(context.identity), subscriptionId, newPlanId);
      const message = change.effective === 'now' ? `Subscription changed to ${change.plan.name}` : `Subscription will change to ${change.plan.name} at the end of the current period`;
      const { subscription } = change;
      return {
        success: true, message, planName: change.plan.name, effective: change.effective, subscription,
        subscriptionId: subscription.id, providerSubscriptionId: subscription.providerSubscriptionId, status: subscription.status, cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
      };
    }

    @RequiresScopes(BillingScopes.subscriptionsWrite)
    @Mutation(() => CancelSubscriptionResult, { description: 'Cancel any subscription of the tenant (secret key)' })
    async serverCancelSubscription(@Args() { subscriptionId, cancelAtPeriodEnd }: CancelSubscriptionArgs, @Ctx() context: SubgraphContext) {
      return cancelled(await subscriptions.cancel(requireTenant(context.identity), subscriptionId, cancelAtPeriodEnd), cancelAtPeriodEnd);
    }

    @RequiresScopes(BillingScopes.subscriptionsWrite)
    @Mutation(() => BillingSubscription, { description: "Cancel an organization's subscription on behalf of a user (secret key)" })
    serverCancelOrganizationSubscription(@Args() { organizationId, cancelAtPeriodEnd }: ServerCancelOrganizationArgs, @Ctx() context: SubgraphContext) {
      return cancelOrganization(requireTenant(context.identity), organizationId, cancelAtPeriodEnd);
    }

    @RequiresScopes(BillingScopes.subscriptionsWrite)
    @Mutation(() => BillingSubscription, { description: "Undo an organization's cancellation scheduled for the period end (secret key)" })
    async resumeOrganizationSubscription(@Args() { organizationId }: ServerOrganizationArgs, @Ctx() context: SubgraphContext) {
      const tenantId = requireTenant(context.identity);
      return subscriptions.resume(tenantId, (await liveOfOrganization(tenantId, organizationId)).id);
    }

    @RequiresScopes(BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite)
    @Query(() => [Invoice], { description: "An organization's invoices on behalf of a user (secret key)" })
    serverOrganizationInvoices(@Args() { organizationId, limit }: ServerInvoiceListArgs, @Ctx() context: SubgraphContext) {
      return subscriptions.invoices(requireTenant(context.identity), { organizationId }, limit);
    }

    @RequiresScopes(BillingScopes.subscriptionsRead, BillingScopes.subscriptionsWrite)
    @Query(() => BillingHistory, { description: "An organization's billing history (secret key; 404 for an organization billing never saw)" })
    async organizationBillingHistory(@Args() { organizationId, limit }: InvoiceListArgs, @Ctx() context: SubgraphContext): Promise<BillingHistory> {
      const tenantId = requireTenant(context.identity);
      if (!(await subscriptions.knowsOrganization(tenantId, organizationId))) throw new DomainError('NOT_FOUND', 'Organization not found');
      const invoices = await subscriptions.invoices(tenantId, { organizationId }, limit);
      return { success: true, organizationId, invoices, totalInvoices: invoices.length };
    }

    @FieldResolver(() => Plan, { description: 'The plan billed this period' })
    plan(@Root() subscription: BillingSubscription, @Ctx() context: SubgraphContext): Promise<Plan> {
      return plans.get(context, subscription.tenantId, subscription.planId);
    }
  }
  return SubscriptionResolver;
}
