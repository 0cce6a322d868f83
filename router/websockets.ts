import type http from 'node:http';
import { getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { DomainError, httpStatusOf } from '../src/errors';
import type { Identity } from '../src/identity';
import { clientIp } from './client-ip';
import type { EdgeAuthentication } from './edge-auth-plugin';
import type { Gateway } from './gateway';
import { assignRequestId } from './request-id';

type SocketExtra = { request: http.IncomingMessage; socket: WebSocket; identity?: Identity };

/**
 * graphql-ws on the router's /graphql: the socket authenticates once from
 * `connectionParams: { apiKey, authorization }` (like headers do a request); operations then
 * run through the gateway with that identity. A refused socket closes with 4401/4403.
 */
export function attachGraphqlWebSockets(server: http.Server, gateway: Gateway, auth: EdgeAuthentication, trustProxy: boolean): { close(): Promise<void> } {
  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  const gatewayOptions = getGraphQLWSOptions<any, SocketExtra>(gateway as any, (ctx) => ({ identity: ctx.extra.identity }));
  const cleanup = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      ...gatewayOptions,
      onConnect: async (ctx: any) => {
        const params = ctx.connectionParams ?? {};
        const headers: http.IncomingHttpHeaders = { origin: ctx.extra.request.headers.origin };
        if (typeof params.apiKey === 'string') headers['x-api-key'] = params.apiKey;
        if (typeof params.authorization === 'string') headers.authorization = params.authorization;
        try {
          ctx.extra.identity = await auth.authenticate({ headers, ip: clientIp(ctx.extra.request, trustProxy), requestId: assignRequestId(ctx.extra.request) });
          return true;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          // 4401/4403 mirror HTTP 401/403; the reason carries the message.
          ctx.extra.socket.close(httpStatusOf(error.code) === 403 ? 4403 : 4401, error.message);
          return false;
        }
      },
    } as any,
    wsServer,
  );
  return {
    async close() {
      await cleanup.dispose();
      wsServer.close();
    },
  };
}
