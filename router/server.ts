import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionResult } from 'graphql';
import path from 'node:path';
import type { Config } from '../src/config';
import { createPool } from '../src/db/pool';
import { DomainError, ERROR_CATALOG } from '../src/errors';
import { sendJson } from '../src/http/body';
import type { Logger } from '../src/logger';
import { PACKAGE_VERSION, PROJECT_ROOT } from '../src/paths';
import { clientIp } from './client-ip';
import { applyCors } from './cors';
import { CredentialStore } from './credentials';
import { redocPage, swaggerUiPage } from './docs';
import { EdgeAuthenticator } from './edge-auth';
import { edgeAuthentication, type EdgeServerContext } from './edge-auth-plugin';
import { createGateway, type Gateway } from './gateway';
import { driveRoutes } from './drive-routes';
import { withDrivePaths } from './drive-openapi';
import { IdentitySigner } from './identity-forwarding';
import { assignRequestId } from './request-id';
import { attachGraphqlWebSockets } from './websockets';
import { createRestFaces } from './rest/dispatcher';
import { completionStreamRoute, type StreamingRunner } from './rest/completion-stream';
import { documentSchema } from './rest/documents';
import { IdempotencyStore } from './rest/idempotency';
import { graphqlIdempotency } from './graphql-idempotency';
import { graphqlRateLimits } from './rate-limits/graphql-plugin';
import { RateLimiter } from './rate-limits/rate-limiter';
import { REST_FACES } from './rest/faces';
import type { OperationRunner } from './rest/sofa-face';

const VERSION = PACKAGE_VERSION;

export interface RunningRouter {
  url: string;
  gateway: Gateway;
  close(): Promise<void>;
}

/** The router process: edge auth, GraphQL (HTTP + graphql-ws), the REST profiles, docs, health. */
export async function startRouter(config: Config, log: Logger, port = config.port): Promise<RunningRouter> {
  const pool = createPool({ url: config.databaseUrl!, name: 'router', max: 10, log });
  const auth = edgeAuthentication(new EdgeAuthenticator(new CredentialStore(pool), config.jwtSecret));
  // Off (RATE_LIMITS=false) only to measure what limits cost (npm run bench).
  const rateLimiter = config.rateLimits ? new RateLimiter(pool, { perMinute: config.apiRateLimitPerMinute, burst: 0 }) : undefined;
  const idempotency = new IdempotencyStore(pool);
  // Idempotency before rate limits: a replayed answer still gets this request's X-RateLimit-* headers.
  const afterAuthentication = [graphqlIdempotency(idempotency), ...(rateLimiter ? [graphqlRateLimits(rateLimiter)] : [])];
  const gateway = createGateway(config, path.join(PROJECT_ROOT, 'schema/supergraph.graphql'), auth.plugin, afterAuthentication);
  await gateway.getSchema(); // load before accepting websockets (it loads lazily)

  // REST runs its operation through the gateway's GraphQL pipeline (parse and validation caches,
  // access rules, planning, identity forwarding) without an HTTP round of its own: no request
  // body to write and parse, no response to serialize and read back.
  const runStreaming: StreamingRunner = async (query, variables, identity) => {
    const context: EdgeServerContext & { waitUntil: Gateway['waitUntil'] } = { identity, clientIp: identity.ip, requestId: identity.requestId, waitUntil: gateway.waitUntil };
    // Its own (empty) request object: plugins may keep per-request state keyed by it.
    const request = new Request('http://router.internal/graphql', { method: 'POST', headers: { 'x-request-id': identity.requestId } });
    return (await gateway.getResultForParams({ params: { query, variables }, request }, context as never)) as ExecutionResult | AsyncIterable<ExecutionResult>;
  };
  const runOperation: OperationRunner = (query, variables, identity) => runStreaming(query, variables, identity) as Promise<ExecutionResult>;
  const rest = createRestFaces(REST_FACES, runOperation, log, undefined, undefined, {
    idempotency,
    rateLimiter,
  });
  // The one REST answer sofa cannot give: server-sent events, as the tokens arrive.
  const completionStream = completionStreamRoute({ run: runStreaming, supergraph: documentSchema(), rateLimiter, log });

  // Uploads and downloads (multipart in, bytes out): plain routes, same auth and limits (drive-routes.ts).
  const v1Face = rest.faces.find((handler) => handler.face.name === 'v1')!;
  withDrivePaths(v1Face.openApiDocument());
  const drive = driveRoutes({ entitiesUrl: config.subgraphUrls.entities, signer: new IdentitySigner(config.internalSecret), face: v1Face, rateLimiter, log });

  const server = http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = assignRequestId(req, res);
    const edge: EdgeServerContext = { clientIp: clientIp(req, config.trustProxy), requestId, onAuthenticated: (identity) => (edge.identity = identity) };
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ requestId, tenantId: edge.identity?.tenantId, method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms }, 'request');
    });
    try {
      if (applyCors(req, res)) return;
      const pathname = new URL(req.url ?? '/', 'http://router').pathname;
      if (pathname === '/api/health') return sendJson(res, 200, { status: 'ok', version: VERSION });
      if (pathname === '/docs') return sendHtml(res, swaggerUiPage(rest.openApiLinks()));
      if (pathname === '/redoc') return sendHtml(res, redocPage(rest.openApiLinks()[0].url));
      if (pathname === '/graphql') return await (gateway.requestListener as (...args: unknown[]) => Promise<void>)(req, res, edge);
      const driveTarget = drive.match(req.method ?? 'GET', pathname);
      if (driveTarget) {
        try {
          edge.identity = await auth.authenticate({ headers: req.headers, ip: edge.clientIp, requestId });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          req.resume();
          return v1Face.sendError(res, error.code, error.message);
        }
        return await drive.handle(req, res, driveTarget, edge.identity);
      }
      const restMatch = rest.match(req.method ?? 'GET', pathname);
      if (restMatch) {
        try {
          edge.identity = await auth.authenticate({ headers: req.headers, ip: edge.clientIp, requestId });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          return restMatch.face.sendError(res, error.code, error.message);
        }
        if (completionStream.handles(restMatch)) return await completionStream.serve(req, res, restMatch, edge.identity, rest);
        return await rest.handle(req, res, restMatch, edge.identity);
      }
      sendJson(res, 404, { error: 'not_found', message: `No route for ${req.method} ${pathname}` });
    } catch (error) {
      log.error({ err: error, requestId }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: ERROR_CATALOG.INTERNAL.message });
      else res.end();
    }
  });

  const websockets = attachGraphqlWebSockets(server, gateway, auth, config.trustProxy);

  await new Promise<void>((resolve) => server.listen(port, config.host, resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${address.port}`,
    gateway,
    async close() {
      await websockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.dispose();
      await pool.end();
    },
  };
}

function sendHtml(res: http.ServerResponse, html: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}
