import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, parse, type GraphQLError } from 'graphql';
import { DomainError, toGraphQLError, validationError } from '../src/errors';
import { canonicalJson } from '../src/identity';
import type { EdgeServerContext } from './edge-auth-plugin';
import { IDEMPOTENCY_HEADER, IdempotencyStore, KEY_REUSED, PER_REQUEST_HEADERS, STILL_RUNNING, type StoredResponse } from './rest/idempotency';

/** What the plugin decided for a request in `onParams`, carried out in `onResponse`. */
type Decision =
  /** The key was claimed: keep the answer (or free the key when it failed on our side). */
  | { kind: 'run'; tenantId: string; caller: string; key: string }
  /** Answer this instead of what ran (a replay, or 422/409). */
  | { kind: 'answer'; response: StoredResponse; replayed: boolean };

/** Error codes of a failure on our side: the key is freed so that a retry runs again. */
const SERVER_FAILURES = new Set(['INTERNAL', 'INTERNAL_SERVER_ERROR']);

/**
 * `Idempotency-Key` on GraphQL mutations over HTTP, with the store and rules of the REST faces
 * (router/rest/idempotency.ts): the first mutation with a key runs and its answer is kept; the
 * same key and request (query, operation name and variables) within 24 hours gets that status
 * and body again without running anything; another request with the key → 422; while the first
 * still runs → 409. Keys belong to the caller's tenant and credentials. Queries and anonymous
 * callers ignore the header (batching is off: one operation per request). Decided in `onParams` (the request is parsed, the caller known),
 * answered in `onResponse`, where the status and body are final.
 */
export function graphqlIdempotency(store: IdempotencyStore): GatewayPlugin {
  const decisions = new WeakMap<Request, Decision>();
  return {
    async onParams({ request, params, context, setResult }) {
      // graphql-ws operations arrive without a request: only HTTP carries the header.
      const key = request?.headers?.get('idempotency-key') ?? null;
      if (key === null || request.method !== 'POST') return;
      const identity = (context as Partial<EdgeServerContext>).identity;
      if (!IdempotencyStore.applies(identity) || !isMutation(params.query, params.operationName)) return;
      const answer = (status: number, error: GraphQLError) => {
        decisions.set(request, { kind: 'answer', replayed: false, response: { status, headers: JSON_HEADERS, body: JSON.stringify({ errors: [error.toJSON()] }) } });
        setResult({ data: null });
      };
      const problem = IdempotencyStore.keyProblem(key);
      if (problem) return answer(422, toGraphQLError(validationError([{ field: IDEMPOTENCY_HEADER, message: problem }])));
      const { tenantId, caller } = IdempotencyStore.scopeOf(identity);
      const body = canonicalJson({ query: params.query ?? null, operationName: params.operationName ?? null, variables: params.variables ?? {} });
      const claim = await store.claim(tenantId, caller, key, IdempotencyStore.requestHash('POST', '/graphql', body));
      switch (claim.kind) {
        case 'new':
          decisions.set(request, { kind: 'run', tenantId, caller, key });
          return;
        case 'replay':
          decisions.set(request, { kind: 'answer', response: claim.response, replayed: true });
          return setResult({ data: null });
        case 'mismatch':
          return answer(422, toGraphQLError(validationError([{ field: IDEMPOTENCY_HEADER, message: KEY_REUSED }])));
        case 'in-progress':
          return answer(409, toGraphQLError(new DomainError('CONFLICT', STILL_RUNNING)));
      }
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const decision = decisions.get(request);
      if (!decision) return;
      if (decision.kind === 'answer') {
        const { status, headers, body } = decision.response;
        setResponse(new fetchAPI.Response(body, { status, headers: { ...headers, ...(decision.replayed ? { 'idempotent-replayed': 'true' } : {}) } }));
        return;
      }
      const { tenantId, caller, key } = decision;
      const body = await response.clone().text();
      // Kept before the answer leaves: a retry after it must find the answer, not a running request.
      if (response.status >= 500 || failedOnOurSide(body)) await store.release(tenantId, caller, key);
      else await store.complete(tenantId, caller, key, { status: response.status, headers: replayableHeaders(response.headers), body });
    },
  };
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function isMutation(query: string | undefined, operationName: string | undefined): boolean {
  if (!query) return false;
  try {
    return getOperationAST(parse(query), operationName)?.operation === 'mutation';
  } catch {
    return false; // the gateway answers the syntax error itself
  }
}

function failedOnOurSide(body: string): boolean {
  try {
    const errors = (JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] }).errors ?? [];
    return errors.some((e) => SERVER_FAILURES.has(e.extensions?.code ?? ''));
  } catch {
    return true;
  }
}

function replayableHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!PER_REQUEST_HEADERS.test(name)) kept[name] = value;
  });
  return kept;
}
