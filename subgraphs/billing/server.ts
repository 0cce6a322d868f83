import { defineConsumer } from '../../src/events/consumers';
import { buildFederatedSchema } from '../../src/federation/build-schema';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { UsageRecord } from './usage/usage-record.entity';
import { createUsageResolvers, EndUser } from './usage/usage.resolver';
import { UsageService } from './usage/usage.service';
import { USAGE_EVENTS } from './usage/usage.events';
import { EndUserRegistered } from '../tenancy/end-user/end-user.events';
import { AgentExecutionCompleted } from '../agents/execution/execution.events';
import { organizationPolicies } from '../../src/federation/organization-access';
import { rolesFromTenancy } from '../../src/federation/organization-roles-client';
import { UsageMeteringService } from './usage/usage-metering.service';
import { createUsageMeteringResolver } from './usage/usage-metering.resolver';
import { createUserUsageResolver } from './usage/user-usage.resolver';
import { UserUsageService } from './usage/user-usage.service';
import { createEntitlementResolver } from './entitlement/entitlement.resolver';
import { EntitlementService } from './entitlement/entitlement.service';
import { tierFromTenancy } from './entitlement/tenant-tier';
import { storageMeterConsumer } from './usage/storage-meter.consumer';
import { createSubscriptionResolvers, SUBSCRIPTION_ENTITIES, SUBSCRIPTION_MODULE_EVENTS } from './subscriptions.module';

export async function createBillingSchema(deps: SubgraphDeps) {
  const { dataSource, pubSub, config } = deps;
  const metering = new UsageMeteringService(dataSource);
  const usage = new UsageService(dataSource, metering);
  return buildFederatedSchema({
    resolvers: [...createUsageResolvers(usage, metering, { pubSub: pubSub!, intervalMs: config.liveUsageIntervalMs }), createUsageMeteringResolver(metering), createUserUsageResolver(new UserUsageService(dataSource)), ...createSubscriptionResolvers(deps),
      createEntitlementResolver(new EntitlementService(dataSource, `${config.publicUrl}/upgrade`), tierFromTenancy(config.subgraphUrls.tenancy, config.internalSecret)),
    ],
    orphanedTypes: [EndUser],
    pubSub,
    // organization permissions (BILLING_READ, ORG_READ, ...) decided with the caller's roles from tenancy
    policies: organizationPolicies(rolesFromTenancy(config.subgraphUrls.tenancy, config.internalSecret)),
  });
}

export const billingSubgraph: SubgraphDefinition = {
  name: 'billing',
  entities: [...SUBSCRIPTION_ENTITIES, UsageRecord],
  createSchema: createBillingSchema,
  events: [...USAGE_EVENTS, ...SUBSCRIPTION_MODULE_EVENTS],
  consumers: [
    // the `end_users` usage metric: one per sign-up
    defineConsumer({
      name: 'billing.meter-end-users',
      events: [EndUserRegistered],
      handler: ({ dataSource }: SubgraphDeps) => {
        const usage = new UsageService(dataSource, new UsageMeteringService(dataSource));
        return (event) => usage.meterEndUserRegistered(event);
      },
    }),
    // one message, its tokens and its cost per agent execution (idempotent by event id).
    defineConsumer({
      name: 'billing.meter-agent-executions',
      events: [AgentExecutionCompleted],
      handler: ({ dataSource }: SubgraphDeps) => {
        const metering = new UsageMeteringService(dataSource);
        return (event) => metering.meterAgentExecution(event);
      },
    }),
    // stored bytes of the drive (entities' file events)
    storageMeterConsumer,
  ],
};
