import type http from 'node:http';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { DomainError, httpStatusOf } from '../src/errors';
import type { Identity } from '../src/identity';
import type { AuthRequest, EdgeAuthenticator } from './edge-auth';

/** What the router's HTTP server hands the gateway with each request. */
export interface EdgeServerContext {
  /** Set once the caller is authenticated (by this plugin, a graphql-ws connection or a REST face). */
  identity?: Identity;
  clientIp: string;
  requestId: string;
  /** Told who the caller is (the server context reaches plugins as a copy; the router logs the tenant). */
  onAuthenticated?(identity: Identity): void;
}

export interface EdgeAuthentication {
  /** The gateway plugin: authenticates each GraphQL HTTP request that arrives without an identity. */
  plugin: GatewayPlugin;
  /** The same authentication for callers outside the HTTP pipeline (graphql-ws connections, REST faces). */
  authenticate(request: AuthRequest): Promise<Identity>;
}

function nodeHeaders(headers: Headers): http.IncomingHttpHeaders {
  const result: http.IncomingHttpHeaders = {};
  headers.forEach((value, key) => (result[key] = value));
  return result;
}

/**
 * Edge authentication (passport reads the keys; see edge-auth.ts) as one gateway plugin. Every
 * caller is authenticated exactly once: GraphQL over HTTP here in `onRequest`, a graphql-ws
 * connection when it opens, a REST call before its face validates the body; the identity then
 * travels in the gateway context, and the plugin leaves a request that already carries one alone.
 * A refused caller gets 401/403 before anything is parsed.
 */
export function edgeAuthentication(auth: EdgeAuthenticator): EdgeAuthentication {
  return {
    authenticate: (request) => auth.authenticate(request),
    plugin: {
      onRequest({ request, serverContext, endResponse, fetchAPI }) {
        const context = serverContext as Partial<EdgeServerContext>;
        if (context.identity) return;
        const requestId = context.requestId ?? request.headers.get('x-request-id') ?? '';
        return auth.authenticate({ headers: nodeHeaders(request.headers), ip: context.clientIp ?? '', requestId }).then(
          (identity) => {
            context.identity = identity;
            context.onAuthenticated?.(identity);
          },
          (error: unknown) => {
            if (!(error instanceof DomainError)) throw error;
            endResponse(
              fetchAPI.Response.json({ errors: [{ message: error.message, extensions: { code: error.code } }] }, { status: httpStatusOf(error.code) }),
            );
          },
        );
      },
    },
  };
}
