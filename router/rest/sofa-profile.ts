import type http from 'node:http';
import type { GraphQLError } from 'graphql';
import { createSofaRouter, createSofa } from 'sofa-api';
import {
  codeOfGraphQLError,
  ERROR_CATALOG,
  fieldsFromVariableError,
  httpStatusOf,
  type ErrorCode,
  type FieldError,
} from '../../src/errors';
import type { Identity } from '../../src/identity';
import type { Logger } from '../../src/logger';
import { readBody } from '../../src/http/body';
import { bodyTypeErrors, compilePath, contractSchema, type OperationRunner } from './contract-schema';
import type { RestEndpoint, RestProfile } from './profile';

export type { OperationRunner } from './contract-schema';

export interface RestProfileHandler {
  profile: RestProfile;
  /** Handles a request under the profile's base path; answers 404/405 in the profile's shape. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, identity: Identity): Promise<void>;
  /** Writes an error in the profile's shape (used for edge-auth failures too). */
  sendError(res: http.ServerResponse, code: ErrorCode, message?: string, extra?: { fields?: FieldError[]; retryAfter?: number }): void;
  openApiDocument(): unknown;
}

/**
 * A legacy REST face from declarations: contract schema → sofa routes, with the profile's
 * error body, documented status codes and an OpenAPI document.
 */
export function createRestProfile(profile: RestProfile, run: OperationRunner, log: Logger): RestProfileHandler {
  const errorResponse = (code: ErrorCode, message: string, fields?: FieldError[], retryAfter?: number) => {
    const status = httpStatusOf(code);
    const wireFields = fields?.map((f) => ({ field: profile.wireName(f.field), message: f.message }));
    const text = wireFields?.length ? `Validation failed: ${wireFields.map((f) => `${f.field} ${f.message}`).join('; ')}` : message;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    return { status, headers, body: JSON.stringify(profile.errorBody({ code, status, message: text, fields: wireFields })) };
  };

  const schema = contractSchema(profile, run);
  const sofa = createSofa({
    basePath: profile.basePath,
    schema,
    context: ({ identity }: any) => ({ identity }),
    depthLimit: 4,
    routes: Object.fromEntries(
      profile.endpoints.map((e) => [
        `${e.method === 'GET' ? 'Query' : 'Mutation'}.${e.name}`,
        { method: e.method, path: e.path, responseStatus: e.status ?? 200, tags: e.tags, description: e.summary },
      ]),
    ),
    openAPI: { info: { title: profile.title, description: profile.description, version: profile.version } },
    errorHandler: (errors) => {
      const error = errors[0] as GraphQLError;
      const httpStatus = (error?.extensions?.http as { status?: number } | undefined)?.status;
      // Bodies are parsed and type-checked before sofa; its own 400s are query-string values.
      let code: ErrorCode = httpStatus === 400 ? 'BAD_REQUEST' : codeOfGraphQLError(error ?? {});
      let fields = error?.extensions?.fields as FieldError[] | undefined;
      if (!fields && error?.message) {
        const variableFields = fieldsFromVariableError(error.message);
        if (variableFields.length) {
          code = 'VALIDATION_FAILED';
          fields = variableFields;
        }
      }
      if (code === 'INTERNAL') log.error({ err: error?.originalError ?? error }, 'REST operation failed');
      const message = code === 'INTERNAL' ? ERROR_CATALOG.INTERNAL.message : error?.message ?? ERROR_CATALOG[code].message;
      const { status, headers, body } = errorResponse(code, message, fields, error?.extensions?.retryAfter as number | undefined);
      return new Response(body, { status, headers }) as any;
    },
  });
  const router = createSofaRouter(sofa);
  const routes = profile.endpoints.map((e) => ({ endpoint: e, method: e.method, pattern: compilePath(profile.basePath + e.path) }));
  // The seed client reads /v1/developer/openapi.json; /v1/openapi.json is the short name.
  const docPaths = new Set([`${profile.basePath}/openapi.json`, `${profile.basePath}/developer/openapi.json`]);

  const send = (res: http.ServerResponse, r: { status: number; headers: Record<string, string>; body: string }) => {
    res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
  };

  return {
    profile,
    sendError(res, code, message, extra) {
      send(res, errorResponse(code, message ?? ERROR_CATALOG[code].message, extra?.fields, extra?.retryAfter));
    },
    openApiDocument: () => withFullPaths(router.openAPIDocument as any, profile.basePath),
    async handle(req, res, identity) {
      const pathname = new URL(req.url ?? '/', 'http://router').pathname;
      if (docPaths.has(pathname) && req.method === 'GET') {
        send(res, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(this.openApiDocument()) });
        return;
      }
      const matches = routes.filter((r) => r.pattern.test(pathname));
      const endpoint = matches.find((r) => r.method === req.method)?.endpoint;
      if (matches.length === 0) return this.sendError(res, 'NOT_FOUND', `No route for ${req.method} ${pathname}`);
      if (!endpoint) {
        send(res, { ...errorResponse('BAD_REQUEST', `Method ${req.method} not allowed`), status: 405 });
        return;
      }
      let body: string | undefined;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const parsed = await readBody(req);
        if (!parsed.ok) return this.sendError(res, parsed.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_JSON', parsed.error);
        if (parsed.value !== undefined && (typeof parsed.value !== 'object' || Array.isArray(parsed.value) || parsed.value === null)) {
          return this.sendError(res, 'MALFORMED_JSON', 'Request body must be a JSON object');
        }
        const wrongTypes = bodyTypeErrors(schema, endpoint, parsed.value ?? {});
        if (wrongTypes.length) return this.sendError(res, 'VALIDATION_FAILED', undefined, { fields: wrongTypes });
        body = parsed.raw || undefined;
      }
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined && key !== 'content-length') headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const request = new Request(new URL(req.url ?? '/', 'http://router'), { method: req.method, headers, body });
      const response = await router.fetch(request as any, { identity } as any);
      if (response.status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value: string, key: string) => (responseHeaders[key] = value));
      let payload = Buffer.from(await response.arrayBuffer());
      if (endpoint?.omitNullFields && response.ok) {
        const data = JSON.parse(payload.toString('utf8'));
        payload = Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null))));
      }
      res.writeHead(response.status, { ...responseHeaders, 'content-length': payload.length });
      res.end(payload);
    },
  };
}

/** fets lists paths below the base path; the documented contract names them in full. */
function withFullPaths(document: { paths?: Record<string, unknown> }, basePath: string): unknown {
  const paths = Object.fromEntries(Object.entries(document.paths ?? {}).map(([p, item]) => [p.startsWith(basePath) ? p : basePath + p, item]));
  return { ...document, paths };
}
