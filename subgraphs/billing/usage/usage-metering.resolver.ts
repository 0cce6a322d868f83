import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requireTenant } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { Policy } from '../../../src/federation/access';
import { OrgPermissions } from '../../../src/federation/organization-access';
import type { UsageMeteringService } from './usage-metering.service';
import {
  CurrentUsage,
  OrganizationArgs,
  OrganizationUsage,
  OrganizationUsageCheck,
  OrganizationUsageCheckArgs,
  OrganizationUserArgs,
  OrganizationUserUsage,
  UsageAmountArgs,
  UsageCheck,
  UsageConsumption,
  UsageHistoryArgs,
  UsagePeriod,
  UsageStats,
} from './usage-metering.types';

/**
 * Usage of an organization (001 "usage" and the organization usage endpoints). Members read and
 * consume (ORG_READ, as 001 documents); one member's usage needs MEMBERS_READ.
 */
export function createUsageMeteringResolver(metering: UsageMeteringService) {
  @Resolver()
  class UsageMeteringResolver {
    @Policy(OrgPermissions.ORG_READ)
    @Query(() => CurrentUsage, { description: "The organization's usage in its current billing period, against its plan's limits" })
    currentUsage(@Args() { organizationId }: OrganizationArgs, @Ctx() { identity }: SubgraphContext): Promise<CurrentUsage> {
      return metering.current(requireTenant(identity), organizationId);
    }

    @Policy(OrgPermissions.ORG_READ)
    @Query(() => [UsagePeriod], { description: "The organization's usage per billing period, newest first" })
    usageHistory(@Args() { organizationId, limit, offset }: UsageHistoryArgs, @Ctx() { identity }: SubgraphContext): Promise<UsagePeriod[]> {
      return metering.history(requireTenant(identity), organizationId, limit, offset);
    }

    @Policy(OrgPermissions.ORG_READ)
    @Query(() => UsageStats, { description: "Every meter of the organization, and of the signed-in user, this period" })
    usageStats(@Args() { organizationId }: OrganizationArgs, @Ctx() { identity }: SubgraphContext): Promise<UsageStats> {
      return metering.stats(requireTenant(identity), organizationId, identity.userId);
    }

    @Policy(OrgPermissions.ORG_READ)
    @Query(() => OrganizationUsage, { description: "The organization's usage statistics" })
    async organizationUsage(@Args() { organizationId }: OrganizationArgs, @Ctx() { identity }: SubgraphContext): Promise<OrganizationUsage> {
      return { usageStats: await metering.current(requireTenant(identity), organizationId) };
    }

    @Policy(OrgPermissions.MEMBERS_READ)
    @Query(() => OrganizationUserUsage, { description: "One user's usage within the organization this period" })
    async organizationUserUsage(@Args() { organizationId, userId }: OrganizationUserArgs, @Ctx() { identity }: SubgraphContext): Promise<OrganizationUserUsage> {
      return { userId, usage: await metering.userTotals(requireTenant(identity), organizationId, userId) };
    }

    @Policy(OrgPermissions.ORG_READ)
    @Query(() => OrganizationUsageCheck, { description: "Whether additional messages and tokens would pass the organization's limits (no side effect)" })
    checkOrganizationUsage(@Args() args: OrganizationUsageCheckArgs, @Ctx() { identity }: SubgraphContext): Promise<OrganizationUsageCheck> {
      return metering.checkOrganization(requireTenant(identity), args.organizationId, args.additionalMessages, args.additionalTokens);
    }

    @Policy(OrgPermissions.ORG_READ)
    @Query(() => UsageCheck, { description: 'Whether an amount of tokens or messages is allowed (no side effect)' })
    checkUsage(@Args() args: UsageAmountArgs, @Ctx() { identity }: SubgraphContext): Promise<UsageCheck> {
      return metering.check(identity, requireTenant(identity), args);
    }

    @Policy(OrgPermissions.ORG_READ)
    @Mutation(() => UsageConsumption, { description: "Consumes tokens or messages; PAYMENT_REQUIRED (402) when the plan's limit would be passed" })
    consumeUsage(@Args() args: UsageAmountArgs, @Ctx() { identity }: SubgraphContext): Promise<UsageConsumption> {
      return metering.consume(identity, requireTenant(identity), args);
    }
  }
  return UsageMeteringResolver;
}
