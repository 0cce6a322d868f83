import type http from 'node:http';
import {
  coerceInputValue,
  getNamedType,
  isNonNullType,
  typeFromAST,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { createSofa, createSofaRouter } from 'sofa-api';
import { defaultMessageOf, describeGraphQLError, ERROR_CATALOG, fieldsFromVariableError, httpStatusOf, type ErrorCode, type FieldError } from '../../src/errors';
import type { Identity } from '../../src/identity';
import type { Logger } from '../../src/logger';
import { readBody, type ParsedBody } from '../../src/http/body';
import { contractSchema } from './contract-schema';
import type { RestEndpoint } from './documents';
import type { RestFace, RestRequestInfo, SelectedPage } from './face';
import { IdempotencyStore, serveOnce } from './idempotency';
import { RateLimiter, type RateLimitState } from '../rate-limits/rate-limiter';

/** Runs a supergraph operation with the caller's identity (through the gateway pipeline). */
export type OperationRunner = (query: string, variables: Record<string, unknown>, identity: Identity) => Promise<ExecutionResult>;

export interface FaceErrorExtra {
  fields?: FieldError[];
  retryAfter?: number;
  /** Scopes that would have allowed the call (a 403 for a key lacking them). */
  requiredScopes?: string[];
  requestId?: string;
  rateLimit?: RateLimitState;
  /** The status a domain's own code carries (kernel codes take theirs from the catalog). */
  status?: number;
}

/** What faces' policies need from the router: its database, through these. */
export interface RestServices {
  /** Kept answers for faces that honour `Idempotency-Key`. */
  idempotency?: IdempotencyStore;
  /** Request limits by the caller's tier (every face); absent when limits are off. */
  rateLimiter?: RateLimiter;
}

export interface RestFaceHandler {
  face: RestFace;
  endpoints: RestEndpoint[];
  /** Serves a request the dispatcher matched to one of this face's endpoints (`body`: already read from `req`). */
  serve(req: http.IncomingMessage, res: http.ServerResponse, endpoint: RestEndpoint, identity: Identity, body?: ParsedBody): Promise<void>;
  /** Writes an error in the face's shape (edge-auth failures, 404, 405 too). */
  sendError(res: http.ServerResponse, code: ErrorCode, message?: string, extra?: FaceErrorExtra): void;
  openApiDocument(): unknown;
}

interface RestContext {
  identity: Identity;
  /** The absolute URL the client called. */
  url: URL;
  /** Headers a transform adds to the successful answer (RestTransform.headers). */
  responseHeaders: Record<string, string>;
}

/**
 * A REST face on sofa-api: sofa routes the face's contract schema (generated from the endpoint
 * documents), reads the wire arguments and writes the OpenAPI document; its `execute` runs the
 * endpoint's supergraph operation once, through the gateway, as the caller.
 */
export function createRestFace(
  face: RestFace,
  endpoints: RestEndpoint[],
  supergraph: GraphQLSchema,
  run: OperationRunner,
  log: Logger,
  { idempotency, rateLimiter }: RestServices = {},
): RestFaceHandler {
  const errorResponse = (code: ErrorCode, message: string, extra: FaceErrorExtra = {}) => {
    const status = httpStatusOf(code, extra.status);
    const fields = extra.fields?.length ? extra.fields : undefined;
    const text = fields ? `Validation failed: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}` : message;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (extra.retryAfter !== undefined) headers['retry-after'] = String(extra.retryAfter);
    const { retryAfter, requiredScopes, requestId, rateLimit } = extra;
    return { status, headers, body: JSON.stringify(face.errorBody({ code, status, message: text, fields, retryAfter, requiredScopes, requestId, rateLimit })) };
  };

  const byName = new Map(endpoints.map((e) => [e.name, e]));
  const execute = async (args: ExecutionArgs): Promise<ExecutionResult> => {
    const operation = args.document.definitions[0] as OperationDefinitionNode;
    const endpoint = byName.get((operation.selectionSet.selections[0] as FieldNode).name.value)!;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const { identity, url, responseHeaders } = args.contextValue as RestContext;
    const result = await run(endpoint.query, variables, identity);
    if (result.errors?.length) return { errors: result.errors.map((e) => inWireNames(e, endpoint)) as any };
    const value = (result.data as Record<string, unknown> | null | undefined)?.[endpoint.resultKey];
    if (value === null || value === undefined) {
      if (endpoint.nullable) return { data: { [endpoint.name]: null } };
      return { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] as any };
    }
    if (endpoint.redirect) return { data: { [endpoint.name]: value } }; // the URL, for serve() to answer with
    if (endpoint.transform) Object.assign(responseHeaders, face.transforms![endpoint.transform].headers?.(value));
    return { data: { [endpoint.name]: documentedBody(face, endpoint, value, { url, variables }) } };
  };

  const schema = contractSchema(face, endpoints, supergraph);
  const sofa = createSofa({
    basePath: face.basePath,
    schema,
    execute: execute as any,
    context: ({ identity, url, responseHeaders }: any) => ({ identity, url, responseHeaders }),
    routes: Object.fromEntries(
      endpoints.map((e) => [
        `${e.kind === 'query' ? 'Query' : 'Mutation'}.${e.name}`,
        { method: e.method, path: e.path, responseStatus: e.status as any, tags: e.tags, description: e.summary },
      ]),
    ),
    customScalars: { DateTimeISO: { type: 'string', format: 'date-time' } },
    openAPI: { info: { title: face.title, description: face.description, version: '1' } },
    errorHandler: (errors) => {
      const error = errors[0] as { message?: string; extensions?: Record<string, any>; originalError?: unknown } | undefined;
      // Bodies are type-checked before sofa; its own 400s are query-string values.
      let { code, status: codeStatus } = error?.extensions?.http?.status === 400 ? { code: 'BAD_REQUEST', status: 400 } : describeGraphQLError(error ?? {});
      let fields = error?.extensions?.fields as FieldError[] | undefined;
      if (!fields && error?.message) {
        const variableFields = fieldsFromVariableError(error.message);
        if (variableFields.length) [code, codeStatus, fields] = ['VALIDATION_FAILED', 422, variableFields];
      }
      if (code === 'INTERNAL') log.error({ err: error?.originalError ?? error }, 'REST operation failed');
      const message = code === 'INTERNAL' ? ERROR_CATALOG.INTERNAL.message : error?.message ?? defaultMessageOf(code);
      const { status, headers, body } = errorResponse(code, message, {
        fields,
        retryAfter: error?.extensions?.retryAfter,
        requiredScopes: error?.extensions?.requiredScopes,
        rateLimit: error?.extensions?.rateLimit,
        status: codeStatus,
      });
      return new Response(body, { status, headers }) as any;
    },
  });
  const router = createSofaRouter(sofa);
  const openApi = withFacePolicies(withFullPaths(router.openAPIDocument as any, face.basePath, endpoints), face, endpoints);

  const send = (res: http.ServerResponse, r: { status: number; headers: Record<string, string>; body: string | Buffer }) => {
    res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
  };

  return {
    face,
    endpoints,
    sendError(res, code, message, extra) {
      send(res, errorResponse(code, message ?? defaultMessageOf(code), extra));
    },
    openApiDocument: () => openApi,
    async serve(req, res, endpoint, identity, preread) {
      if (!(await withinRateLimit(rateLimiter, identity, res, this.sendError.bind(this)))) return;
      let body: string | undefined;
      let values: Record<string, unknown> = {};
      if (req.method !== 'GET') {
        const parsed = preread ?? (await readBody(req));
        if (!parsed.ok) return this.sendError(res, parsed.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_JSON', parsed.error);
        if (endpoint.rawBody) {
          // the bytes as sent (a signature covers them), as one string variable
          values = { [endpoint.rawBody]: parsed.raw };
          body = JSON.stringify(values);
        } else {
          if (parsed.value !== undefined && (typeof parsed.value !== 'object' || Array.isArray(parsed.value) || parsed.value === null)) {
            return this.sendError(res, 'MALFORMED_JSON', 'Request body must be a JSON object');
          }
          values = parsed.value ?? {};
          body = parsed.raw || undefined;
        }
      }
      const respond = async (): Promise<void> => {
        const url = requestUrl(req);
        const sofaUrl = new URL(req.url ?? '/', 'http://router');
        const bound = bindHeaders(req, endpoint, sofaUrl, values, body);
        const problems = [
          ...(endpoint.variables.length ? argumentProblems(supergraph, endpoint, bound.values, sofaUrl.searchParams) : []),
          ...(face.projection ? projectionProblems(face.projection, endpoint, url.searchParams) : []),
        ];
        if (problems.length) return this.sendError(res, 'VALIDATION_FAILED', undefined, { fields: problems });
        // sofa reads only the URL and the body; the caller travels in the server context.
        const headers = bound.body ? { 'content-type': 'application/json' } : undefined;
        const request = new Request(sofaUrl, { method: req.method, headers, body: bound.body });
        const transformHeaders: Record<string, string> = {};
        const response = await router.fetch(request as any, { identity, url, responseHeaders: transformHeaders } as any);
        // Whatever failed is in the log under the request id; the caller gets only that id. A domain's
        // 502/503 (an outside service down or refusing: payments, models) is already in the face's shape.
        if (response.status >= 500 && response.status !== 502 && response.status !== 503) return this.sendError(res, 'INTERNAL', undefined, { requestId: identity.requestId });
        if (endpoint.redirect && response.status === endpoint.status) return redirectTo(res, await response.json());
        if (response.status === 204) {
          res.writeHead(204, face.successHeaders);
          res.end();
          return;
        }
        const responseHeaders: Record<string, string> = response.ok ? { ...face.successHeaders, ...transformHeaders } : {};
        response.headers.forEach((value: string, key: string) => (responseHeaders[key] = value));
        send(res, { status: response.status, headers: responseHeaders, body: Buffer.from(await response.arrayBuffer()) });
      };
      // Writes only: a GET is safe to repeat and must show the resource as it is now.
      const idempotencyKey = face.idempotency && idempotency && req.method !== 'GET' && IdempotencyStore.applies(identity) ? req.headers['idempotency-key'] : undefined;
      if (typeof idempotencyKey !== 'string') return respond();
      // A header bound to a variable (X-Organization-Id) changes what the request does: it is part of the request.
      const headers = Object.values(endpoint.headers).map((h) => `${h}: ${req.headers[h.toLowerCase()] ?? ''}`).join('\n');
      return serveOnce(idempotency!, { req, res, identity, key: idempotencyKey, body, headers }, respond, (code, message, extra) => this.sendError(res, code, message, extra));
    },
  };
}

/**
 * Counts the request against the caller's tier limit (every face, and the router's own routes
 * such as SSE); sets the `X-RateLimit-*` headers; false once it answered 429.
 */
export async function withinRateLimit(
  rateLimiter: RateLimiter | undefined,
  identity: Identity,
  res: http.ServerResponse,
  sendError: RestFaceHandler['sendError'],
): Promise<boolean> {
  if (!rateLimiter || !RateLimiter.applies(identity)) return true;
  const limit = await rateLimiter.hit(identity);
  for (const [name, value] of Object.entries(RateLimiter.headers(limit))) res.setHeader(name, value);
  if (limit.allowed) return true;
  const seconds = limit.retryAfterSeconds;
  sendError(res, 'RATE_LIMITED', `Too many requests. Please retry after ${seconds} seconds.`, { retryAfter: seconds, rateLimit: limit });
  return false;
}

/**
 * The body as the face documents it: the endpoint's transform, or the projection of the
 * resource (of each item) and the page envelope; then the face's success policy.
 */
function documentedBody(face: RestFace, endpoint: RestEndpoint, value: unknown, request: RestRequestInfo): unknown {
  let body = value;
  if (endpoint.transform) body = face.transforms![endpoint.transform].apply(body);
  else {
    const project = face.projection ? projector(face.projection, endpoint, request.url.searchParams) : undefined;
    if (endpoint.page) {
      const page = body as SelectedPage;
      body = face.pageBody!(project ? { ...page, items: page.items.map(project) } : page, request);
    } else if (project) body = project(body);
  }
  return face.successBody ? face.successBody(body, endpoint) : body;
}

/** Comma-separated names of a query parameter (`fields=id,name`); undefined when absent. */
function listParameter(query: URLSearchParams, name: string): string[] | undefined {
  const value = query.get(name);
  return value === null ? undefined : value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** `fields` naming keys the resource does not have, `include` naming relations the endpoint does not declare. */
function projectionProblems(projection: NonNullable<RestFace['projection']>, endpoint: RestEndpoint, query: URLSearchParams): FieldError[] {
  const problems: FieldError[] = [];
  const unknownFields = (listParameter(query, projection.fields) ?? []).filter((f) => !endpoint.resourceKeys.includes(f) || endpoint.includes.includes(f));
  if (unknownFields.length) problems.push({ field: projection.fields, message: `has unknown fields: ${unknownFields.join(', ')} (known: ${endpoint.resourceKeys.filter((k) => !endpoint.includes.includes(k)).join(', ')})` });
  const unknownIncludes = (listParameter(query, projection.include) ?? []).filter((i) => !endpoint.includes.includes(i));
  if (unknownIncludes.length) {
    const known = endpoint.includes.length ? `known: ${endpoint.includes.join(', ')}` : 'this endpoint has none';
    problems.push({ field: projection.include, message: `has unknown relations: ${unknownIncludes.join(', ')} (${known})` });
  }
  return problems;
}

/** Keeps the fields asked for (all when none are named) and the relations included, of one resource. */
function projector(projection: NonNullable<RestFace['projection']>, endpoint: RestEndpoint, query: URLSearchParams) {
  const fields = listParameter(query, projection.fields);
  const included = new Set(listParameter(query, projection.include) ?? []);
  if (!fields && endpoint.includes.length === 0) return undefined;
  const keep = (key: string) => (endpoint.includes.includes(key) ? included.has(key) : !fields || fields.includes(key));
  return (resource: unknown) =>
    resource && typeof resource === 'object' ? Object.fromEntries(Object.entries(resource).filter(([key]) => keep(key))) : resource;
}

/**
 * Variables bound to request headers (`@rest(headers:)`) take their value from the header alone
 * (passed to sofa in the query string, which it reads first); a query-string or body value of
 * the same name is dropped, so nothing but the header sets them.
 */
function bindHeaders(req: http.IncomingMessage, endpoint: RestEndpoint, url: URL, values: Record<string, unknown>, body: string | undefined) {
  const bound = Object.entries(endpoint.headers);
  if (!bound.length) return { values, body };
  const own = { ...values };
  for (const [variable, header] of bound) {
    url.searchParams.delete(variable);
    delete own[variable];
    const value = req.headers[header.toLowerCase()];
    if (typeof value === 'string' && value !== '') url.searchParams.set(variable, value);
  }
  const dropped = Object.keys(own).length !== Object.keys(values).length;
  return { values: own, body: dropped ? JSON.stringify(own) : body };
}

/** The URL the client called, absolute (page links are). */
function requestUrl(req: http.IncomingMessage): URL {
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return new URL(req.url ?? '/', `${proto}://${req.headers.host ?? 'localhost'}`);
}

/** A redirect endpoint's answer: its selection's single field is the Location; no body. */
function redirectTo(res: http.ServerResponse, selection: Record<string, unknown>): void {
  const [location] = Object.values(selection);
  res.writeHead(302, { location: String(location), 'cache-control': 'no-store', 'content-length': 0 });
  res.end();
}

/** Field errors of the supergraph operation, named as the endpoint's wire arguments. */
export function inWireNames(error: { message: string; extensions?: Record<string, unknown> }, endpoint: RestEndpoint) {
  const fields = error.extensions?.fields as FieldError[] | undefined;
  if (!fields) return error;
  const wire = fields.map((f) => ({ field: endpoint.wireNames[f.field] ?? f.field, message: f.message }));
  return { ...error, extensions: { ...error.extensions, fields: wire } };
}

/**
 * Missing required arguments and JSON body values whose type does not fit the variable, named
 * by wire name, before anything runs. Path and query-string values are sofa's to read.
 */
export function argumentProblems(supergraph: GraphQLSchema, endpoint: RestEndpoint, body: Record<string, unknown>, query: URLSearchParams): FieldError[] {
  const problems: FieldError[] = [];
  const inPath = new Set((endpoint.path.match(/:[A-Za-z_]\w*/g) ?? []).map((p) => p.slice(1)));
  for (const v of endpoint.variables) {
    const name = v.variable.name.value;
    const type = typeFromAST(supergraph, v.type as any) as GraphQLInputType;
    const value = body[name];
    if (query.has(name) && !inPath.has(name)) {
      const problem = queryValueProblem(query.get(name)!, type);
      if (problem) problems.push({ field: name, message: problem });
      continue;
    }
    if (inPath.has(name)) continue;
    if (value === undefined || value === null) {
      if (isNonNullType(type) && !v.defaultValue) problems.push({ field: name, message: 'is required' });
      continue;
    }
    coerceInputValue(value, type, () => {
      if (!problems.some((e) => e.field === name)) problems.push({ field: name, message: `must be ${describeType(type)}` });
    });
  }
  return problems;
}

/** A query-string value that cannot be the variable's number (sofa would answer a bare 400). */
function queryValueProblem(value: string, type: GraphQLInputType): string | undefined {
  const named = getNamedType(type).name;
  if (named === 'Int' && !/^-?\d{1,9}$/.test(value)) return 'must be an integer';
  if (named === 'Float' && !Number.isFinite(Number(value))) return 'must be a number';
  return undefined;
}

function describeType(type: GraphQLInputType): string {
  const named = getNamedType(type).name;
  const article = { String: 'a string', ID: 'a string', Int: 'an integer', Float: 'a number', Boolean: 'true or false' }[named];
  return article ?? `a valid ${named}`;
}

/** The parameters the face adds to every endpoint (`fields`, `include`, `Idempotency-Key`), in the OpenAPI document. */
function withFacePolicies(document: any, face: RestFace, endpoints: RestEndpoint[]): unknown {
  const route = (method: string, path: string) => `${method.toLowerCase()} ${path}`;
  const byRoute = new Map(endpoints.map((e) => [route(e.method, (face.basePath + e.path).replace(/:([A-Za-z_]\w*)/g, '{$1}')), e]));
  for (const [path, item] of Object.entries<Record<string, any>>(document.paths ?? {})) {
    for (const [method, operation] of Object.entries<any>(item)) {
      const endpoint = byRoute.get(route(method, path));
      if (!endpoint) continue;
      operation.operationId ??= endpoint.name; // sofa names only queries
      const added: unknown[] = [];
      for (const [variable, header] of Object.entries(endpoint.headers)) {
        operation.parameters = (operation.parameters ?? []).filter((p: { name?: string }) => p.name !== variable);
        added.push({ name: header, in: 'header', required: false, schema: { type: 'string' } });
      }
      const own = endpoint.resourceKeys.filter((k) => !endpoint.includes.includes(k));
      if (face.projection) {
        added.push({ name: face.projection.fields, in: 'query', required: false, schema: { type: 'string' }, description: `Comma-separated fields to return, of: ${own.join(', ')}` });
        if (endpoint.includes.length) {
          added.push({ name: face.projection.include, in: 'query', required: false, schema: { type: 'string' }, description: `Comma-separated relations to include, of: ${endpoint.includes.join(', ')}` });
        }
      }
      if (face.idempotency && method !== 'get') {
        added.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Retries with the same key within 24 hours get the first answer' });
      }
      operation.parameters = [...(operation.parameters ?? []), ...added];
    }
  }
  return document;
}

/** fets lists paths below the base path; the documented contract names them in full. sofa's webhook routes are not ours. */
function withFullPaths(document: { paths?: Record<string, unknown> }, basePath: string, endpoints: RestEndpoint[]): unknown {
  const documented = new Set(endpoints.map((e) => (basePath + e.path).replace(/:([A-Za-z_]\w*)/g, '{$1}')));
  const paths = Object.entries(document.paths ?? {})
    .map(([p, item]) => [p.startsWith(basePath) ? p : basePath + p, item] as const)
    .filter(([p]) => documented.has(p));
  return { ...document, paths: Object.fromEntries(paths) };
}
