import type { ErrorCode, FieldError } from '../../src/errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface ErrorBodyInput {
  code: ErrorCode;
  status: number;
  message: string;
  /** Failing fields, already in wire names. */
  fields?: FieldError[];
}

/**
 * A documented response shape that an aliased selection cannot express (e.g. one endpoint
 * answering two shapes). Named in a document with `@rest(transform: "name")`.
 */
export interface RestTransform {
  /** The documented body type, declared in the face's `typeDefs` (for OpenAPI). */
  returns: string;
  apply(result: any): unknown;
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
  successBody?(body: unknown): unknown;
  /** Page envelope policy for endpoints declared with `@rest(page: true)`. */
  pageBody?(page: SelectedPage, variables: Record<string, unknown>): unknown;
  /** Headers added to every successful answer of the face. */
  successHeaders?: Record<string, string>;
  /** Named transforms the face's documents may use, and the SDL of the types they return. */
  transforms?: Record<string, RestTransform>;
  typeDefs?: string;
}
