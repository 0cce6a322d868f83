import { defineConsumer } from '../../src/events/consumers';
import { buildFederatedSchema } from '../../src/federation/build-schema';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { UsageRecord } from './usage/usage-record.entity';
import { createUsageResolvers, EndUser } from './usage/usage.resolver';
import { UsageService } from './usage/usage.service';
import { USAGE_EVENTS } from './usage/usage.events';
import { EndUserRegistered } from '../tenancy/end-user/end-user.events';

export async function createBillingSchema({ dataSource, pubSub }: SubgraphDeps) {
  const usage = new UsageService(dataSource);
  return buildFederatedSchema({ resolvers: [...createUsageResolvers(usage)], orphanedTypes: [EndUser], pubSub });
}

export const billingSubgraph: SubgraphDefinition = {
  name: 'billing',
  entities: [UsageRecord],
  createSchema: createBillingSchema,
  events: USAGE_EVENTS,
  consumers: [
    // the `end_users` usage metric: one per sign-up
    defineConsumer({
      name: 'billing.meter-end-users',
      events: [EndUserRegistered],
      handler: ({ dataSource }: SubgraphDeps) => {
        const usage = new UsageService(dataSource);
        return (event) => usage.meterEndUserRegistered(event);
      },
    }),
  ],
};
