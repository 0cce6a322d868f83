import type http from 'node:http';
import { DomainError, ERROR_CATALOG } from '../errors';
import { verifyIdentity, type Identity, type SignedOperation } from '../identity';
import { sendJson } from './body';

/**
 * Plain HTTP between the router and a subgraph, for what GraphQL cannot carry (streamed file
 * bytes). The router signs the caller's identity as for GraphQL, bound to the method and the
 * exact path and query string, so a token cannot be replayed on another request.
 */
export const INTERNAL_IDENTITY_HEADER = 'x-platform-identity';

export function internalOperation(method: string, pathWithSearch: string): SignedOperation {
  return { query: `${method.toUpperCase()} ${pathWithSearch}`, operationName: 'internal-http', variables: {} };
}

/** The verified caller of an internal request, or undefined (missing, forged, stale, other request). */
export function internalIdentity(req: http.IncomingMessage, secret: string): Identity | undefined {
  const identity = verifyIdentity(req.headers[INTERNAL_IDENTITY_HEADER], internalOperation(req.method ?? 'GET', req.url ?? '/'), secret);
  const requestId = req.headers['x-request-id'];
  if (identity && typeof requestId === 'string') identity.requestId = requestId;
  return identity;
}

/** The error body of internal routes: the code and message (the router words it in its face's shape). */
export interface InternalErrorBody {
  error: string;
  message: string;
  fields?: { field: string; message: string }[];
}

export function sendInternalError(res: http.ServerResponse, error: unknown, headers: Record<string, string> = {}): void {
  const known = error instanceof DomainError;
  const code = known ? error.code : 'INTERNAL';
  const status = known ? error.status : 500;
  const body: InternalErrorBody = { error: code, message: known ? error.message : ERROR_CATALOG.INTERNAL.message };
  if (known && error.details.fields?.length) body.fields = error.details.fields;
  sendJson(res, status, body, headers);
}
