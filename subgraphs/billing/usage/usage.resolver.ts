import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { requireTenant, secretScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { entityReference, type Reference } from '../../../src/federation/entity-reference';
import type { PlatformEvent } from '../../../src/events/types';
import { UsageRecord } from './usage-record.entity';
import type { UsageRecordedPayload, UsageService } from './usage.service';
import { RecordUsageInput, UsageTotal, UsageUpdate } from './usage.types';

export const EndUser = entityReference('EndUser');

export function createUsageResolvers(usage: UsageService) {
  @Resolver()
  class UsageResolver {
    @Authorized(secretScope('usage:write'))
    @Mutation(() => UsageRecord, { description: 'Record metered usage (secret key with usage:write)' })
    recordUsage(@Arg('input') input: RecordUsageInput, @Ctx() { identity }: SubgraphContext): Promise<UsageRecord> {
      return usage.record(requireTenant(identity), input);
    }

    @Authorized(secretScope('usage:read'))
    @Query(() => [UsageTotal], { description: 'Usage totals per metric, optionally for one organization or end user' })
    usageTotals(
      @Arg('organizationId', () => ID, { nullable: true }) organizationId: string | null,
      @Arg('userId', () => ID, { nullable: true }) userId: string | null,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<UsageTotal[]> {
      return usage.totals(requireTenant(identity), { organizationId, userId });
    }

    @Authorized()
    @Subscription(() => UsageUpdate, {
      topics: 'usage.recorded',
      description: "Live usage of an organization, for dashboards",
      filter: ({ payload, args, context }: { payload: PlatformEvent<UsageRecordedPayload>; args: { organizationId: string }; context: SubgraphContext }) =>
        payload.tenantId === context.identity.tenantId && payload.payload.organizationId === args.organizationId,
    })
    usageUpdated(@Root() event: PlatformEvent<UsageRecordedPayload>, @Arg('organizationId', () => ID) _organizationId: string): UsageUpdate {
      const p = event.payload;
      return { organizationId: p.organizationId!, metric: p.metric, quantity: p.quantity, total: p.organizationTotal ?? p.quantity, recordedAt: new Date(p.recordedAt) };
    }
  }

  @Resolver(() => EndUser)
  class EndUserUsageResolver {
    @FieldResolver(() => [UsageTotal], { description: "The end user's usage totals per metric (billing)" })
    usage(@Root() user: Reference, @Ctx() context: SubgraphContext): Promise<UsageTotal[]> {
      const tenantId = context.identity.tenantId;
      return tenantId ? usage.totalsForUser(context, tenantId, user.id) : Promise.resolve([]);
    }
  }

  return [UsageResolver, EndUserUsageResolver] as const;
}
