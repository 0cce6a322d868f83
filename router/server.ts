import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import type { Config } from '../src/config';
import { DomainError, ERROR_CATALOG, httpStatusOf } from '../src/errors';
import { sendJson } from '../src/http/body';
import type { Identity } from '../src/identity';
import type { Logger } from '../src/logger';
import { PACKAGE_VERSION, PROJECT_ROOT } from '../src/paths';
import { clientIp } from './client-ip';
import { applyCors } from './cors';
import { CredentialStore } from './credentials';
import { redocPage, swaggerUiPage } from './docs';
import { EdgeAuthenticator } from './edge-auth';
import { createGateway, type Gateway } from './gateway';
import { requestIdOf } from './request-context';
import { attachGraphqlWebSockets } from './websockets';
import { createRestProfile, type OperationRunner, type RestProfileHandler } from './rest/sofa-profile';
import { v1Profile } from './rest/v1';

const VERSION = PACKAGE_VERSION;

export interface RunningRouter {
  url: string;
  gateway: Gateway;
  close(): Promise<void>;
}

function graphqlError(res: http.ServerResponse, error: DomainError): void {
  sendJson(res, httpStatusOf(error.code), { errors: [{ message: error.message, extensions: { code: error.code } }] });
}

/** The router process: edge auth, GraphQL (HTTP + graphql-ws), the REST profiles, docs, health. */
export async function startRouter(config: Config, log: Logger, port = config.port): Promise<RunningRouter> {
  const pool = new Pool({ connectionString: config.databaseUrl, max: 10, application_name: 'router' });
  const auth = new EdgeAuthenticator(new CredentialStore(pool), config.jwtSecret);
  const gateway = createGateway(config, path.join(PROJECT_ROOT, 'schema/supergraph.graphql'));
  await gateway.getSchema(); // load before accepting websockets (it loads lazily)

  const runOperation: OperationRunner = async (query, variables, identity) => {
    const response = await gateway.fetch(
      'http://router.internal/graphql',
      { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ query, variables }) },
      { identity } as any,
    );
    return response.json();
  };
  const profiles: RestProfileHandler[] = [createRestProfile(v1Profile(VERSION), runOperation, log)];

  const server = http.createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    let identity: Identity | undefined;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ requestId, tenantId: identity?.tenantId, method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms }, 'request');
    });
    try {
      if (applyCors(req, res)) return;
      const pathname = new URL(req.url ?? '/', 'http://router').pathname;
      if (pathname === '/api/health') return sendJson(res, 200, { status: 'ok', version: VERSION });
      if (pathname === '/docs') return sendHtml(res, swaggerUiPage(profiles.map((p) => ({ name: p.profile.title, url: `${p.profile.basePath}/openapi.json` }))));
      if (pathname === '/redoc') return sendHtml(res, redocPage(`${profiles[0].profile.basePath}/openapi.json`));
      const profile = profiles.find((p) => pathname === p.profile.basePath || pathname.startsWith(p.profile.basePath + '/'));
      if (pathname === '/graphql' || profile) {
        try {
          identity = await auth.authenticate({ headers: req.headers, ip: clientIp(req, config.trustProxy), requestId });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          if (profile) return profile.sendError(res, error.code, error.message);
          return graphqlError(res, error);
        }
        if (profile) return await profile.handle(req, res, identity);
        return await (gateway.requestListener as (...args: unknown[]) => Promise<void>)(req, res, { identity });
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
