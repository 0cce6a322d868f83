import http from 'node:http';
import { INTERNAL_IDENTITY_HEADER, internalOperation, type InternalErrorBody } from '../src/http/internal-request';
import type { Identity } from '../src/identity';
import type { Logger } from '../src/logger';
import type { IdentitySigner } from './identity-forwarding';
import { RateLimiter } from './rate-limits/rate-limiter';
import type { RestFaceHandler } from './rest/sofa-face';

/**
 * The drive's byte endpoints (001_… section `files`), which sofa cannot serve (multipart in,
 * streamed bytes out). They keep everything else a REST call gets: the same edge identity, the
 * tier's rate limit, the `/v1` face's error body. The router does not parse the body: it pipes
 * it (backpressure intact) to the entities subgraph's internal route with the caller's identity
 * signed for that exact request, and pipes the answer back. Metadata endpoints stay GraphQL
 * operations (router/rest/v1/files.graphql).
 */
interface DriveRoute {
  method: 'GET' | 'POST';
  pattern: RegExp;
  internalPath(match: RegExpExecArray): string;
}

const ROUTES: DriveRoute[] = [
  { method: 'POST', pattern: /^\/v1\/user\/files\/?$/, internalPath: () => '/internal/drive/files' },
  { method: 'GET', pattern: /^\/v1\/user\/files\/shared\/([^/]+)\/download\/?$/, internalPath: (m) => `/internal/drive/shared/${m[1]}/content` },
  { method: 'GET', pattern: /^\/v1\/user\/files\/([^/]+)\/download\/?$/, internalPath: (m) => `/internal/drive/files/${m[1]}/content` },
];

/** Answer headers passed through to the client (hop-by-hop and internal ones are not). */
const PASSED = ['content-type', 'content-length', 'content-disposition', 'content-range', 'accept-ranges', 'last-modified', 'x-content-type-options'];

export interface DriveRoutesOptions {
  entitiesUrl: string;
  signer: IdentitySigner;
  /** The `/v1` face: its error body and rate-limit answer. */
  face: RestFaceHandler;
  rateLimiter?: RateLimiter;
  log: Logger;
}

export function driveRoutes({ entitiesUrl, signer, face, rateLimiter, log }: DriveRoutesOptions) {
  const base = new URL(entitiesUrl);
  return {
    /** The internal path for a drive byte endpoint, or undefined when the request is not one. */
    match(method: string, pathname: string): string | undefined {
      for (const route of ROUTES) {
        const match = route.pattern.exec(pathname);
        if (match && route.method === method) return route.internalPath(match);
      }
      return undefined;
    },

    async handle(req: http.IncomingMessage, res: http.ServerResponse, internalPath: string, identity: Identity): Promise<void> {
      const v1 = face;
      if (rateLimiter && RateLimiter.applies(identity)) {
        const limit = await rateLimiter.hit(identity);
        for (const [name, value] of Object.entries(RateLimiter.headers(limit))) res.setHeader(name, value);
        if (!limit.allowed) {
          req.resume();
          const seconds = limit.retryAfterSeconds;
          return v1.sendError(res, 'RATE_LIMITED', `Too many requests. Please retry after ${seconds} seconds.`, { retryAfter: seconds, rateLimit: limit });
        }
      }
      const search = new URL(req.url ?? '/', 'http://router').search;
      const target = internalPath + search;
      const headers: http.OutgoingHttpHeaders = {
        [INTERNAL_IDENTITY_HEADER]: signer.sign(identity, internalOperation(req.method!, target)),
        'x-request-id': identity.requestId,
      };
      for (const name of ['content-type', 'content-length', 'transfer-encoding', 'range']) if (req.headers[name]) headers[name] = req.headers[name];
      await new Promise<void>((resolve) => {
        const upstream = http.request({ hostname: base.hostname, port: base.port, path: target, method: req.method, headers }, (answer) => {
          const status = answer.statusCode ?? 502;
          if (status >= 400) return void relayError(v1, answer, res, status).then(resolve, (error) => fail(error));
          const passed: http.OutgoingHttpHeaders = {};
          for (const name of PASSED) if (answer.headers[name] !== undefined) passed[name] = answer.headers[name];
          res.writeHead(status, passed);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', () => (res.destroy(), resolve()));
        });
        const fail = (error: unknown) => {
          log.error({ err: error, requestId: identity.requestId }, 'drive request to the entities subgraph failed');
          if (!res.headersSent) v1.sendError(res, 'INTERNAL', undefined, { requestId: identity.requestId });
          else res.destroy();
          req.resume();
          resolve();
        };
        upstream.on('error', (error) => {
          // The subgraph answered (and may have closed) before reading the whole upload: not a failure.
          if (res.headersSent) return;
          fail(error);
        });
        // A client that goes away mid-transfer takes the upstream request with it.
        res.on('close', () => {
          if (!res.writableFinished) upstream.destroy();
        });
        req.pipe(upstream);
      });
    },
  };
}

/** The subgraph's `{error, message, fields}` in the `/v1` face's shape (`{"detail": ...}`), status kept. */
async function relayError(v1: RestFaceHandler, answer: http.IncomingMessage, res: http.ServerResponse, status: number): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  let body: Partial<InternalErrorBody> = {};
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    // not JSON: the status alone speaks
  }
  const range = answer.headers['content-range'];
  if (range) res.setHeader('content-range', range);
  const code = body.error ?? (status === 404 ? 'NOT_FOUND' : 'INTERNAL');
  if (code === 'INTERNAL') return v1.sendError(res, 'INTERNAL');
  v1.sendError(res, code, body.message, { fields: body.fields, status });
}

