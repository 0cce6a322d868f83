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
import { readBody } from '../../src/http/body';
import { contractSchema } from './contract-schema';
import type { RestEndpoint } from './documents';
import type { RestFace } from './face';

/** Runs a supergraph operation with the caller's identity (through the gateway pipeline). */
export type OperationRunner = (query: string, variables: Record<string, unknown>, identity: Identity) => Promise<ExecutionResult>;

export interface FaceErrorExtra {
  fields?: FieldError[];
  retryAfter?: number;
  /** The status a domain's own code carries (kernel codes take theirs from the catalog). */
  status?: number;
}

export interface RestFaceHandler {
  face: RestFace;
  endpoints: RestEndpoint[];
  /** Serves a request the dispatcher matched to one of this face's endpoints. */
  serve(req: http.IncomingMessage, res: http.ServerResponse, endpoint: RestEndpoint, identity: Identity): Promise<void>;
  /** Writes an error in the face's shape (edge-auth failures, 404, 405 too). */
  sendError(res: http.ServerResponse, code: ErrorCode, message?: string, extra?: FaceErrorExtra): void;
  openApiDocument(): unknown;
}

interface RestContext {
  identity: Identity;
}

/**
 * A REST face on sofa-api: sofa routes the face's contract schema (generated from the endpoint
 * documents), reads the wire arguments and writes the OpenAPI document; its `execute` runs the
 * endpoint's supergraph operation once, through the gateway, as the caller.
 */
export function createRestFace(face: RestFace, endpoints: RestEndpoint[], supergraph: GraphQLSchema, run: OperationRunner, log: Logger): RestFaceHandler {
  const errorResponse = (code: ErrorCode, message: string, extra: FaceErrorExtra = {}) => {
    const status = httpStatusOf(code, extra.status);
    const fields = extra.fields?.length ? extra.fields : undefined;
    const text = fields ? `Validation failed: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}` : message;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (extra.retryAfter !== undefined) headers['retry-after'] = String(extra.retryAfter);
    return { status, headers, body: JSON.stringify(face.errorBody({ code, status, message: text, fields })) };
  };

  const byName = new Map(endpoints.map((e) => [e.name, e]));
  const execute = async (args: ExecutionArgs): Promise<ExecutionResult> => {
    const operation = args.document.definitions[0] as OperationDefinitionNode;
    const endpoint = byName.get((operation.selectionSet.selections[0] as FieldNode).name.value)!;
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const result = await run(endpoint.query, variables, (args.contextValue as RestContext).identity);
    if (result.errors?.length) return { errors: result.errors.map((e) => inWireNames(e, endpoint)) as any };
    const value = (result.data as Record<string, unknown> | null | undefined)?.[endpoint.resultKey];
    if (value === null || value === undefined) return { errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] as any };
    return { data: { [endpoint.name]: documentedBody(face, endpoint, value, variables) } };
  };

  const schema = contractSchema(face, endpoints, supergraph);
  const sofa = createSofa({
    basePath: face.basePath,
    schema,
    execute: execute as any,
    context: ({ identity }: any) => ({ identity }),
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
      const { status, headers, body } = errorResponse(code, message, { fields, retryAfter: error?.extensions?.retryAfter, status: codeStatus });
      return new Response(body, { status, headers }) as any;
    },
  });
  const router = createSofaRouter(sofa);
  const openApi = withFullPaths(router.openAPIDocument as any, face.basePath, endpoints);

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
    async serve(req, res, endpoint, identity) {
      let body: string | undefined;
      let values: Record<string, unknown> = {};
      if (req.method !== 'GET') {
        const parsed = await readBody(req);
        if (!parsed.ok) return this.sendError(res, parsed.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_JSON', parsed.error);
        if (parsed.value !== undefined && (typeof parsed.value !== 'object' || Array.isArray(parsed.value) || parsed.value === null)) {
          return this.sendError(res, 'MALFORMED_JSON', 'Request body must be a JSON object');
        }
        values = parsed.value ?? {};
        body = parsed.raw || undefined;
      }
      if (endpoint.variables.length) {
        const problems = argumentProblems(supergraph, endpoint, values, req.url ?? '');
        if (problems.length) return this.sendError(res, 'VALIDATION_FAILED', undefined, { fields: problems });
      }
      // sofa reads only the URL and the body; the caller travels in the server context.
      const headers = body ? { 'content-type': 'application/json' } : undefined;
      const request = new Request(new URL(req.url ?? '/', 'http://router'), { method: req.method, headers, body });
      const response = await router.fetch(request as any, { identity } as any);
      if (response.status === 204) {
        res.writeHead(204, face.successHeaders);
        res.end();
        return;
      }
      const responseHeaders: Record<string, string> = response.ok ? { ...face.successHeaders } : {};
      response.headers.forEach((value: string, key: string) => (responseHeaders[key] = value));
      send(res, { status: response.status, headers: responseHeaders, body: Buffer.from(await response.arrayBuffer()) });
    },
  };
}

/** The body as the face documents it: the endpoint's transform or the page envelope, then the face's success policy. */
function documentedBody(face: RestFace, endpoint: RestEndpoint, value: unknown, variables: Record<string, unknown>): unknown {
  let body = value;
  if (endpoint.transform) body = face.transforms![endpoint.transform].apply(body);
  else if (endpoint.page) body = face.pageBody!(body as any, variables);
  return face.successBody ? face.successBody(body) : body;
}

/** Field errors of the supergraph operation, named as the endpoint's wire arguments. */
function inWireNames(error: { message: string; extensions?: Record<string, unknown> }, endpoint: RestEndpoint) {
  const fields = error.extensions?.fields as FieldError[] | undefined;
  if (!fields) return error;
  const wire = fields.map((f) => ({ field: endpoint.wireNames[f.field] ?? f.field, message: f.message }));
  return { ...error, extensions: { ...error.extensions, fields: wire } };
}

/**
 * Missing required arguments and JSON body values whose type does not fit the variable, named
 * by wire name, before anything runs. Path and query-string values are sofa's to read.
 */
function argumentProblems(supergraph: GraphQLSchema, endpoint: RestEndpoint, body: Record<string, unknown>, url: string): FieldError[] {
  const problems: FieldError[] = [];
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  const inPath = new Set((endpoint.path.match(/:[A-Za-z_]\w*/g) ?? []).map((p) => p.slice(1)));
  for (const v of endpoint.variables) {
    const name = v.variable.name.value;
    const type = typeFromAST(supergraph, v.type as any) as GraphQLInputType;
    const value = body[name];
    if (inPath.has(name) || query.has(name)) continue;
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

function describeType(type: GraphQLInputType): string {
  const named = getNamedType(type).name;
  const article = { String: 'a string', ID: 'a string', Int: 'an integer', Float: 'a number', Boolean: 'true or false' }[named];
  return article ?? `a valid ${named}`;
}

/** fets lists paths below the base path; the documented contract names them in full. sofa's webhook routes are not ours. */
function withFullPaths(document: { paths?: Record<string, unknown> }, basePath: string, endpoints: RestEndpoint[]): unknown {
  const documented = new Set(endpoints.map((e) => (basePath + e.path).replace(/:([A-Za-z_]\w*)/g, '{$1}')));
  const paths = Object.entries(document.paths ?? {})
    .map(([p, item]) => [p.startsWith(basePath) ? p : basePath + p, item] as const)
    .filter(([p]) => documented.has(p));
  return { ...document, paths: Object.fromEntries(paths) };
}
