import type { ErrorCode, FieldError } from '../../src/errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One documented REST endpoint, declared rather than hand-written: sofa serves it from a
 * contract schema field whose resolver runs `operation` against the supergraph.
 */
export interface RestEndpoint {
  /** Contract root field name (also the OpenAPI operation id). */
  name: string;
  method: HttpMethod;
  /** Path below the profile's base path, with `:param` segments. */
  path: string;
  summary: string;
  tags?: string[];
  /** Success status (default 200; 204 sends no body). */
  status?: 200 | 201 | 202 | 204;
  /** Contract arguments in SDL, with the documented wire names (`email: String!, return_to: String`). */
  args?: string;
  /** Contract return type (a type of the profile's typeDefs). */
  returns: string;
  /** Supergraph operation; its single root field must be aliased `result`. */
  operation: string;
  /** Wire arguments → operation variables (default: passed as they are). */
  variables?: (args: Record<string, any>) => Record<string, unknown>;
  /** Reshapes `result` into the documented body, when aliases cannot. */
  transform?: (result: any) => unknown;
  /** Drop top-level null fields from the body (for documented bodies with alternative shapes). */
  omitNullFields?: boolean;
}

export interface ErrorBodyInput {
  code: ErrorCode;
  status: number;
  message: string;
  fields?: FieldError[];
}

export interface RestProfile {
  name: string;
  /** e.g. `/v1` */
  basePath: string;
  title: string;
  description: string;
  version: string;
  /** Contract types (the documented response bodies). */
  typeDefs: string;
  endpoints: RestEndpoint[];
  /** The profile's documented error body. */
  errorBody(error: ErrorBodyInput): unknown;
  /** GraphQL field name → documented wire name (e.g. newPassword → new_password). */
  wireName(field: string): string;
}

export const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
