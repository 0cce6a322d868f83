import type http from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { ParsedBody } from '../../src/http/body';
import type { Identity } from '../../src/identity';
import type { Logger } from '../../src/logger';
import { documentSchema, readEndpoints, readFaceDocuments, RestDocumentError, routeConflicts, type EndpointFile, type RestEndpoint } from './documents';
import type { RestFace } from './face';
import { createRestFace, type OperationRunner, type RestFaceHandler, type RestServices } from './sofa-face';

/** What a request under a REST base path is, and which face answers it. */
export type RestMatch =
  | { kind: 'endpoint'; face: RestFaceHandler; endpoint: RestEndpoint }
  | { kind: 'openapi'; face: RestFaceHandler }
  | { kind: 'method-not-allowed'; face: RestFaceHandler; allowed: string[] }
  | { kind: 'not-found'; face: RestFaceHandler };

export interface RestFaces {
  faces: RestFaceHandler[];
  /** undefined: the path is under no face's base path. */
  match(method: string, pathname: string): RestMatch | undefined;
  /** `body`: already read from `req` (a route that had to look at it first). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, match: RestMatch, identity: Identity, body?: ParsedBody): Promise<void>;
  /** OpenAPI documents for /docs and /redoc, one per face. */
  openApiLinks(): { name: string; url: string }[];
}

/**
 * All REST faces behind one dispatcher: documents are read and validated against the
 * supergraph once, here; routing is by method and path across faces.
 */
export function createRestFaces(
  faces: RestFace[],
  run: OperationRunner,
  log: Logger,
  supergraph: GraphQLSchema = documentSchema(),
  files: (face: RestFace) => EndpointFile[] = readFaceDocuments,
  services: RestServices = {},
): RestFaces {
  const read = faces.map((face) => ({ face, endpoints: readEndpoints(face, supergraph, files(face)) }));
  const conflicts = routeConflicts(read);
  if (conflicts.length) throw new RestDocumentError(conflicts.map((c) => `two endpoints claim ${c}`));
  const handlers = read.map(({ face, endpoints }) => createRestFace(face, endpoints, supergraph, run, log, services));
  const routes = handlers.flatMap((handler) =>
    handler.endpoints.map((endpoint) => ({ handler, endpoint, pattern: compilePath(handler.face.basePath + endpoint.path) })),
  );
  const openApi = new Map(handlers.flatMap((handler) => handler.face.openApiPaths.map((p) => [p, handler] as const)));
  // Longest base path first: the first face listed for a base path owns its unknown paths.
  const byBase = [...handlers].sort((a, b) => b.face.basePath.length - a.face.basePath.length);

  return {
    faces: handlers,
    match(method, pathname) {
      const docs = openApi.get(pathname);
      if (docs && method === 'GET') return { kind: 'openapi', face: docs };
      const owner = byBase.find((h) => pathname === h.face.basePath || pathname.startsWith(h.face.basePath + '/'));
      if (!owner) return undefined;
      const onPath = routes.filter((r) => r.pattern.test(pathname));
      const exact = onPath.find((r) => r.endpoint.method === method);
      if (exact) return { kind: 'endpoint', face: exact.handler, endpoint: exact.endpoint };
      if (onPath.length) return { kind: 'method-not-allowed', face: onPath[0].handler, allowed: onPath.map((r) => r.endpoint.method) };
      return docs ? { kind: 'method-not-allowed', face: docs, allowed: ['GET'] } : { kind: 'not-found', face: owner };
    },
    async handle(req, res, match, identity, body) {
      const pathname = new URL(req.url ?? '/', 'http://router').pathname;
      switch (match.kind) {
        case 'endpoint':
          try {
            return await match.face.serve(req, res, match.endpoint, identity, body);
          } catch (error) {
            // An unexpected failure still answers in the face's shape, naming only the request id.
            log.error({ err: error, requestId: identity.requestId }, 'REST request failed');
            if (res.headersSent) return void res.end();
            return match.face.sendError(res, 'INTERNAL', undefined, { requestId: identity.requestId });
          }
        case 'openapi': {
          const body = JSON.stringify(match.face.openApiDocument());
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
          res.end(body);
          return;
        }
        case 'method-not-allowed':
          res.setHeader('allow', match.allowed.join(', '));
          return match.face.sendError(res, 'METHOD_NOT_ALLOWED', `Method ${req.method} not allowed on ${pathname}`);
        case 'not-found':
          return match.face.sendError(res, 'NOT_FOUND', `No route for ${req.method} ${pathname}`);
      }
    },
    openApiLinks: () => handlers.map((h) => ({ name: h.face.title, url: h.face.openApiPaths[0] })),
  };
}

export function compilePath(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('^' + escaped.replace(/:[a-zA-Z_]\w*/g, '[^/]+') + '/?$');
}
