import type http from 'node:http';
import { getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { DomainError, httpStatusOf } from '../src/errors';
import type { Identity } from '../src/identity';
import { clientIp } from './client-ip';
import type { AuthRequest } from './edge-auth';
import type { EdgeAuthentication } from './edge-auth-plugin';
import type { Gateway } from './gateway';
import { assignRequestId } from './request-id';

type SocketExtra = { request: http.IncomingMessage; socket: WebSocket; credentials?: AuthRequest };

/**
 * graphql-ws on the router's /graphql: the socket authenticates when it opens from
 * `connectionParams: { apiKey, authorization }` (like headers do a request), and each operation
 * again with the same credentials: a socket lives for hours, and its operations must not outlive a
 * revoked key or an ended session, nor run with a role the user has lost. Operations then run
 * through the gateway with that identity. A refused socket closes with 4401/4403.
 */
export function attachGraphqlWebSockets(server: http.Server, gateway: Gateway, auth: EdgeAuthentication, trustProxy: boolean): { close(): Promise<void> } {
  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  const refuse = (socket: WebSocket, error: DomainError) => socket.close(httpStatusOf(error.code) === 403 ? 4403 : 4401, error.message); // as HTTP 401/403
  const gatewayOptions = getGraphQLWSOptions<any, SocketExtra>(gateway as any, async (ctx) => {
    try {
      const identity: Identity = await auth.authenticate(ctx.extra.credentials!);
      return { identity };
    } catch (error) {
      if (error instanceof DomainError) refuse(ctx.extra.socket, error);
      throw error;
    }
  });
  const cleanup = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      ...gatewayOptions,
      onConnect: async (ctx: any) => {
        const params = ctx.connectionParams ?? {};
        const headers: http.IncomingHttpHeaders = { origin: ctx.extra.request.headers.origin };
        if (typeof params.apiKey === 'string') headers['x-api-key'] = params.apiKey;
        if (typeof params.authorization === 'string') headers.authorization = params.authorization;
        ctx.extra.credentials = { headers, ip: clientIp(ctx.extra.request, trustProxy), requestId: assignRequestId(ctx.extra.request) };
        try {
          await auth.authenticate(ctx.extra.credentials);
          return true;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          refuse(ctx.extra.socket, error);
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
