import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { requireTenant, RequiresScopes, SELF_SCOPE, selfOrScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { entityReference, type Reference } from '../../../src/federation/entity-reference';
import type { PlatformEvent } from '../../../src/events/types';
import { UsageRecord } from './usage-record.entity';
import type { UsageRecordedPayload, UsageService } from './usage.service';
import { UsageRecorded } from './usage.events';
import { RecordUsageInput, UsageTotal, UsageTotalsArgs, UsageUpdate } from './usage.types';
import { BillingScopes } from '../billing.scopes';
import { Policy } from '../../../src/federation/access';
import { OrgPermissions } from '../../../src/federation/organization-access';
import { currentUsageFromSnapshot, type UsageMeteringService } from './usage-metering.service';
import type { EventPubSub } from '../../../src/events/pubsub';
import { latestEvery } from '../../../src/events/latest-every';

/** Where live usage comes from, and how often a subscriber gets it at most. */
export interface LiveUsage {
  pubSub: EventPubSub;
  intervalMs: number;
}

export const EndUser = entityReference('EndUser');

export function createUsageResolvers(usage: UsageService, metering: UsageMeteringService, live: LiveUsage) {
  @Resolver()
  class UsageResolver {
    @RequiresScopes(BillingScopes.usageWrite)
    @Mutation(() => UsageRecord, { description: 'Record metered usage (secret key with usage:write)' })
    recordUsage(@Arg('input') input: RecordUsageInput, @Ctx() { identity }: SubgraphContext): Promise<UsageRecord> {
      return usage.record(requireTenant(identity), input);
    }

    @RequiresScopes(BillingScopes.usageRead)
    @Query(() => [UsageTotal], { description: 'Usage totals per metric, optionally for one organization or end user' })
    usageTotals(@Args() { organizationId, userId }: UsageTotalsArgs, @Ctx() { identity }: SubgraphContext): Promise<UsageTotal[]> {
      return usage.totals(requireTenant(identity), { organizationId, userId });
    }

    @Policy(OrgPermissions.BILLING_READ)
    @Subscription(() => UsageUpdate, {
      description:
        "Live usage of an organization, for dashboards: the organization's current usage after a change, at once and then at most every LIVE_USAGE_INTERVAL_MS (the latest change)",
      subscribe: ({ args, context }: { args: { organizationId: string }; context: SubgraphContext }) =>
        latestEvery(
          live.pubSub.subscribe(UsageRecorded.type) as AsyncIterable<PlatformEvent<UsageRecordedPayload>>,
          live.intervalMs,
          (event) => event.tenantId === context.identity.tenantId && event.payload.organizationId === args.organizationId,
        ),
    })
    async usageUpdated(@Root() event: PlatformEvent<UsageRecordedPayload>, @Arg('organizationId', () => ID) organizationId: string): Promise<UsageUpdate> {
      const p = event.payload;
      // the event carries the usage after the change; older or direct events without it are read
      const current = p.usage ? currentUsageFromSnapshot(organizationId, p.usage) : await metering.current(event.tenantId!, organizationId);
      return { organizationId, metric: p.metric, quantity: p.quantity, total: p.organizationTotal ?? p.quantity, recordedAt: new Date(p.recordedAt), usage: current };
    }
  }

  @Resolver(() => EndUser)
  class EndUserUsageResolver {
    @RequiresScopes(BillingScopes.usageRead, SELF_SCOPE)
    @FieldResolver(() => [UsageTotal], { description: "The end user's usage totals per metric (billing)" })
    usage(@Root() user: Reference, @Ctx() context: SubgraphContext): Promise<UsageTotal[]> {
      const tenantId = context.identity.tenantId;
      return tenantId && selfOrScope(context.identity, BillingScopes.usageRead, user.id) ? usage.totalsForUser(context, tenantId, user.id) : Promise.resolve([]);
    }
  }

  return [UsageResolver, EndUserUsageResolver] as const;
}
