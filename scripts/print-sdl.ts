import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import { config } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { printFederatedSdl } from '../src/federation/build-schema';
import type { SubgraphDefinition } from '../src/federation/run-subgraph';
import { serviceLogger } from '../src/logger';
import type { SubgraphName } from '../subgraphs/definitions';

/**
 * Prints one subgraph's SDL on stdout without touching a database. One process per subgraph,
 * because type-graphql keeps its metadata globally.
 */
const loaders: Record<SubgraphName, () => SubgraphDefinition> = {
  tenancy: () => require('../subgraphs/tenancy/server').tenancySubgraph,
  billing: () => require('../subgraphs/billing/server').billingSubgraph,
  agents: () => require('../subgraphs/agents/server').agentsSubgraph,
  entities: () => require('../subgraphs/entities/server').entitiesSubgraph,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const load = loaders[name as SubgraphName];
  if (!load) throw new Error(`usage: print-sdl <${Object.keys(loaders).join('|')}>`);
  const definition = load();
  const dataSource = createDataSource({ url: 'postgres://offline/offline', schema: name, entities: definition.entities });
  const schema = await definition.createSchema({ dataSource, config: config(), log: serviceLogger('print-sdl'), pubSub: createPubSub() as any });
  process.stdout.write(printFederatedSdl(schema));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
