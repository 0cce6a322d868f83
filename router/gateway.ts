import fs from 'node:fs';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { SUBGRAPH_NAMES, type Config } from '../src/config';
import type { Identity } from '../src/identity';
import { crossRequestEntityBatching } from './entity-batching';
import { identityForwarding } from './identity-forwarding';
import { queryLimits } from './query-limits';

export interface GatewayContext {
  identity: Identity;
}

export type Gateway = GatewayRuntime<GatewayContext>;

/**
 * Hive Gateway runtime with the Rust query planner, serving the committed supergraph. Subgraph
 * URLs come from the config; subscriptions go to subgraphs over graphql-ws.
 */
export function createGateway(config: Config, supergraphFile: string): Gateway {
  const supergraph = fs.readFileSync(supergraphFile, 'utf8');
  const locations = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, { location: config.subgraphUrls[name] }]));
  return createGatewayRuntime<GatewayContext>({
    supergraph,
    unifiedGraphHandler,
    transportEntries: {
      ...locations,
      '*.http': { options: { subscriptions: { kind: 'ws' } } },
    },
    plugins: () => [identityForwarding(config.internalSecret), crossRequestEntityBatching(), ...queryLimits()],
    graphiql: config.nodeEnv !== 'production' ? { title: 'Platform GraphQL' } : false,
    landingPage: false,
    cors: false, // the router answers CORS itself (router/cors.ts), for REST and GraphQL alike
    logging: config.logLevel === 'debug' ? 'debug' : 'error',
    maskedErrors: true,
  });
}
