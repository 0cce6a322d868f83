import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createGatewayRuntime, type GatewayPlugin, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { SUBGRAPH_NAMES, type Config } from '../src/config';
import type { Identity } from '../src/identity';
import { accessRulesOptions, forbiddenFields } from './access-rules';
import { crossRequestEntityBatching } from './entity-batching';
import { identityForwarding, IdentitySigner } from './identity-forwarding';
import { queryLimits } from './query-limits';
import { messageOnlyParseErrors } from './request-parse-errors';

export interface GatewayContext {
  identity: Identity;
}

/** The request id header: echoed on every response and the id in every log line of the request. */
export const REQUEST_ID_HEADER = 'x-request-id';

export type Gateway = GatewayRuntime<GatewayContext>;

/**
 * Hive Gateway runtime with the Rust query planner, serving the committed supergraph. Subgraph
 * URLs come from the config; subscriptions go to subgraphs over graphql-ws. `edgeAuthentication`
 * is the plugin that establishes who calls (router/edge-auth-plugin.ts); `afterAuthentication`, plugins
 * that need to know who calls (rate limits), run right after it.
 */
export function createGateway(config: Config, supergraphFile: string, edgeAuthentication: GatewayPlugin, afterAuthentication: GatewayPlugin[] = []): Gateway {
  const supergraph = fs.readFileSync(supergraphFile, 'utf8');
  const locations = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, { location: config.subgraphUrls[name] }]));
  return createGatewayRuntime<GatewayContext>({
    supergraph,
    unifiedGraphHandler,
    transportEntries: {
      ...locations,
      '*.http': { options: { subscriptions: { kind: 'ws' } } },
    },
    // One signer (and its per-caller cache) for both: batching re-signs the calls it merges.
    plugins: () => {
      const signer = new IdentitySigner(config.internalSecret);
      return [edgeAuthentication, ...afterAuthentication, messageOnlyParseErrors(), forbiddenFields(), identityForwarding(signer), crossRequestEntityBatching(signer), ...queryLimits()];
    },
    // The router has already replaced a missing or malformed incoming id (router/request-id.ts).
    requestId: { headerName: REQUEST_ID_HEADER, generateRequestId: () => randomUUID() },
    // The schema's access directives, enforced for every field (router/access-rules.ts).
    genericAuth: accessRulesOptions(),
    graphiql: config.nodeEnv !== 'production' ? { title: 'Platform GraphQL' } : false,
    landingPage: false,
    cors: false, // the router answers CORS itself (router/cors.ts), for REST and GraphQL alike
    logging: config.logLevel === 'debug' ? 'debug' : 'error',
    maskedErrors: true,
  });
}
