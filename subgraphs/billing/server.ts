import type { PlatformEvent } from '../../src/events/types';
import { buildFederatedSchema } from '../../src/federation/build-schema';
import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { UsageRecord } from './usage/usage-record.entity';
import { createUsageResolvers, EndUser } from './usage/usage.resolver';
import { UsageService } from './usage/usage.service';

export async function createBillingSchema({ dataSource, pubSub }: SubgraphDeps) {
  const usage = new UsageService(dataSource);
  return buildFederatedSchema({ resolvers: [...createUsageResolvers(usage)], orphanedTypes: [EndUser], pubSub });
}

export const billingSubgraph: SubgraphDefinition = {
  name: 'billing',
  entities: [UsageRecord],
  createSchema: createBillingSchema,
  consumers: [
    {
      queue: 'billing.meter-end-users',
      handler: ({ dataSource }) => {
        const usage = new UsageService(dataSource);
        return (event) => usage.meterEndUserRegistered(event as PlatformEvent<{ userId: string }>);
      },
    },
  ],
};
