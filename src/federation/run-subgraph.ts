import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { config, type Config, type SubgraphName } from '../config';
import { createDataSource } from '../db/data-source';
import { runConsumersAndJobs } from '../events/consumers';
import { connectEventPubSub, type EventPubSub } from '../events/pubsub';
import type { EventOwner } from '../events/registry';
import { serviceLogger, type Logger } from '../logger';
import { databaseUrlOrExit, onShutdown } from '../process';
import type { SubgraphContext } from './context';
import { closeSubgraphConnections } from './subgraph-call';
import { startSubgraphServer, type SubgraphRoutes } from './subgraph-server';

export interface SubgraphDeps {
  dataSource: DataSource;
  pubSub?: EventPubSub;
  config: Config;
  log: Logger;
}

/** `events`, `consumers` and `jobs` feed the event registry (subgraphs/consumers.ts). */
export interface SubgraphDefinition extends EventOwner {
  name: SubgraphName;
  entities: Function[];
  /** Builds the schema; must not touch the database (the SDL printer calls it offline). */
  createSchema(deps: SubgraphDeps): Promise<GraphQLSchema>;
  extendContext?: (deps: SubgraphDeps) => (context: SubgraphContext) => void;
  /** Plain HTTP routes on the subgraph's port (the drive's bytes), reached only through the router. */
  httpRoutes?: (deps: SubgraphDeps) => SubgraphRoutes;
}

/** Entry point of a subgraph process: database, event pub/sub, HTTP + WS server, clean stop. */
export async function runSubgraphProcess(definition: SubgraphDefinition): Promise<void> {
  const cfg = config();
  const log = serviceLogger(definition.name);
  const databaseUrl = databaseUrlOrExit(cfg, log);
  const dataSource = createDataSource({ url: databaseUrl, schema: definition.name, entities: definition.entities });
  await dataSource.initialize();
  const events = await connectEventPubSub(databaseUrl, log);
  const deps: SubgraphDeps = { dataSource, pubSub: events.pubSub, config: cfg, log };
  const schema = await definition.createSchema(deps);
  const running = await startSubgraphServer(
    { name: definition.name, schema, internalSecret: cfg.internalSecret, log, extendContext: definition.extendContext?.(deps), routes: definition.httpRoutes?.(deps) },
    cfg.subgraphPorts[definition.name],
    cfg.host,
  );
  const boss = await runConsumersAndJobs(databaseUrl, definition, deps, log, { maintenanceIntervalSeconds: cfg.jobsMaintenanceIntervalSeconds });
  log.info({ url: running.url }, `${definition.name} subgraph ready`);
  onShutdown(async () => {
    await running.close().catch((error) => log.error({ err: error }, 'server close failed'));
    await closeSubgraphConnections().catch(() => undefined);
    await boss?.stop({ graceful: true, timeout: 3000 }).catch(() => undefined);
    await events.close().catch(() => undefined);
    await dataSource.destroy().catch(() => undefined);
  });
}
