import type { ErrorCode, FieldError } from '../../src/errors';
import type { RestEndpoint } from './documents';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface ErrorBodyInput {
  code: ErrorCode;
  status: number;
  message: string;
  /** Failing fields, already in wire names. */
  fields?: FieldError[];
  /** The scopes that would have allowed it (403 for a key lacking one), alternatives. */
  requiredScopes?: string[];
  /** Seconds until the caller may retry (429). */
  retryAfter?: number;
  /** The request's id (500s name it instead of any detail). */
  requestId?: string;
  /** The caller's request limit, when a 429 is its doing. */
  rateLimit?: { limit: number; remaining: number; resetAt: number };
}

/** What a face's policies may read of the request being answered. */
export interface RestRequestInfo {
  /** The absolute URL the client called (for page links). */
  url: URL;
  variables: Record<string, unknown>;
}

/**
 * A documented response shape that an aliased selection cannot express (e.g. one endpoint
 * answering two shapes). Named in a document with `@rest(transform: "name")`.
 */
export interface RestTransform {
  /** The documented body type, declared in the face's `typeDefs` (for OpenAPI). */
  returns: string;
  apply(result: any): unknown;
  /** Headers the answer carries on success, from the same result (e.g. a session cookie). */
  headers?(result: any): Record<string, string>;
}

/** A page as list endpoints select it (`items` and `total` aliases), before the face's envelope. */
export interface SelectedPage {
  items: unknown[];
  total: number;
}

/**
 * One documented REST face: a base path, its endpoint documents and the policies in which
 * faces differ. Endpoints say only what is theirs (route, arguments, selection); everything
 * a face's documentation states once for all its endpoints is a policy here.
 */
export interface RestFace {
  name: string;
  /** e.g. `/v1`; several faces may share one (routing is by method and path). */
  basePath: string;
  title: string;
  description: string;
  /** Endpoint documents, one per resource: OpenAPI tag → `.graphql` file (relative to the project root). */
  documents: Record<string, string>;
  /** Full paths that serve this face's OpenAPI document. */
  openApiPaths: string[];
  /** The face's documented error body. */
  errorBody(error: ErrorBodyInput): unknown;
  /** Success body policy, e.g. the `{"data": …}` wrapper (default: the selection as it is). */
  successBody?(body: unknown, endpoint: RestEndpoint): unknown;
  /** Page envelope policy for endpoints declared with `@rest(page: true)`. */
  pageBody?(page: SelectedPage, request: RestRequestInfo): unknown;
  /**
   * Query parameters the face applies to every endpoint's body: `fields` (projection of the
   * resource, or of each item of a page) and `include` (the relations an endpoint declares with
   * `@rest(include: [...])` are left out unless asked for). Unknown names → 422.
   */
  projection?: { fields: string; include: string };
  /** Writes (POST/PUT/PATCH/DELETE) honour an `Idempotency-Key` header (router/rest/idempotency.ts). */
  idempotency?: boolean;
  /**
   * The contract type (OpenAPI) of the body `successBody`/`pageBody` make of a selection of type
   * `selected` (a page's item type for page endpoints); undefined keeps the selection's type.
   */
  envelopeType?(endpoint: RestEndpoint, selected: string): { name: string; sdl: string } | undefined;
  /** Headers added to every successful answer of the face. */
  successHeaders?: Record<string, string>;
  /** Named transforms the face's documents may use, and the SDL of the types they return. */
  transforms?: Record<string, RestTransform>;
  typeDefs?: string;
}
