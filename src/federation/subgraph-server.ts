import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { execute, GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { IDENTITY_EXTENSION, verifyIdentity, type Identity, type SignedOperation } from '../identity';
import type { Logger } from '../logger';
import { countingRequestSql } from '../db/data-source';
import { countGraphqlRequest, formatMetrics } from './metrics';
import { readBody, sendJson } from '../http/body';
import { createSubgraphContext, type SubgraphContext } from './context';
import { cachedParseAndValidate } from './document-cache';
import { formatSubgraphError } from './errors';

export interface SubgraphServerOptions {
  name: string;
  schema: GraphQLSchema;
  internalSecret: string;
  log: Logger;
  /** Extra work per context (e.g. attaching services). */
  extendContext?: (context: SubgraphContext) => void;
  /** Plain HTTP routes beside GraphQL (streamed bytes): true when the route answered the request. */
  routes?: SubgraphRoutes;
}

export type SubgraphRoutes = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean>;

export interface RunningSubgraph {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

const REJECTED = { errors: [{ message: 'Missing or invalid internal identity', extensions: { code: 'UNAUTHENTICATED', status: 401 } }] };

/**
 * A subgraph on plain node:http: GraphQL over HTTP (Apollo Server) and graphql-ws on the same
 * port. Only requests carrying the router's signed identity are executed.
 */
export async function startSubgraphServer(options: SubgraphServerOptions, port: number, host = '127.0.0.1'): Promise<RunningSubgraph> {
  const { log } = options;
  const formatError = formatSubgraphError(log);
  const apollo = new ApolloServer<SubgraphContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    formatError,
    introspection: true,
    // Neither is used here, and cache control wraps every resolver.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
    // The signed identity covers the query text: a request must carry it, not a hash of it.
    persistedQueries: false,
  });
  await apollo.start();

  const buildContext = (identity: Identity): SubgraphContext => {
    const context = createSubgraphContext(identity, log);
    options.extendContext?.(context);
    return context;
  };

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://subgraph');
      if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok', subgraph: options.name });
      if (url.pathname === '/internal/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(formatMetrics());
      }
      if (options.routes && (await options.routes(req, res, url))) return;
      if (url.pathname !== '/graphql') return sendJson(res, 404, { errors: [{ message: 'Not found' }] });
      let body: any;
      if (req.method === 'POST') {
        const parsed = await readBody(req);
        if (!parsed.ok) return sendJson(res, 400, { errors: [{ message: parsed.error, extensions: { code: 'MALFORMED_JSON' } }] });
        body = parsed.value;
      }
      const identity = verifiedIdentity(body ?? operationFromSearch(url.searchParams), options.internalSecret);
      if (!identity) return sendJson(res, 401, REJECTED);
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      countGraphqlRequest();
      const result = await countingRequestSql(() =>
        apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
          context: async () => buildContext(identity),
        }),
      );
      for (const [key, value] of result.headers) res.setHeader(key, value);
      res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') return res.end(result.body.string);
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      log.error({ err: error }, 'subgraph request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL' } }] });
      else res.end();
    }
  });

  // The router shares one upstream socket among many callers: identity is per subscription
  // (in its payload, bound to its query and variables), never per connection. graphql-ws hands
  // the same payload object to onSubscribe and context.
  const subscriberIdentities = new WeakMap<object, Identity>();
  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  const wsCleanup = useServer(
    {
      schema: options.schema,
      ...cachedParseAndValidate(),
      onSubscribe: (_ctx, _id, payload) => {
        const identity = verifiedIdentity(payload, options.internalSecret);
        if (!identity) return [new GraphQLError(REJECTED.errors[0].message, { extensions: REJECTED.errors[0].extensions })];
        subscriberIdentities.set(payload, identity);
      },
      context: (_ctx, _id, payload) => buildContext(subscriberIdentities.get(payload)!),
      // Other subgraphs' queries (callSubgraph) come this way too: counted, and their errors
      // shaped, as over HTTP.
      execute: (args) => {
        countGraphqlRequest();
        return countingRequestSql(() => execute(args));
      },
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : undefined),
    },
    wsServer,
  );

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/graphql`,
    server,
    async close() {
      await wsCleanup.dispose();
      wsServer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

type ReceivedRequest = SignedOperation & { extensions?: Record<string, unknown> | null };

/**
 * The router's signed identity, checked against the operation and variables this request
 * actually carries, with the request id that travels beside it (for logs).
 */
function verifiedIdentity(request: ReceivedRequest | undefined, secret: string): Identity | undefined {
  if (!request || typeof request !== 'object') return undefined;
  const extensions = request.extensions ?? undefined;
  const identity = verifyIdentity(extensions?.[IDENTITY_EXTENSION], request, secret);
  if (identity && typeof extensions?.requestId === 'string') identity.requestId = extensions.requestId;
  return identity;
}

/** A GET request's GraphQL parameters (variables and extensions are JSON in the query string). */
function operationFromSearch(params: URLSearchParams): ReceivedRequest {
  return {
    query: params.get('query') ?? undefined,
    operationName: params.get('operationName') ?? undefined,
    variables: parseJsonParam(params.get('variables')),
    extensions: parseJsonParam(params.get('extensions')),
  };
}

function parseJsonParam(value: string | null): any {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
