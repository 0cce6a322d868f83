import { GraphQLError } from 'graphql';

/**
 * The kernel's error codes: the failures any domain or the router can have. Each code maps, here
 * and nowhere else, to the GraphQL `extensions.code`, the HTTP status and (through each REST
 * face's error policy) the face's error body. A domain's own codes are declared by its subgraph
 * with `defineErrors` and travel with their status, so the router needs no list of them.
 */
export const ERROR_CATALOG = {
  BAD_REQUEST: { status: 400, message: 'Bad request' },
  MALFORMED_JSON: { status: 400, message: 'Request body is not valid JSON' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  INVALID_API_KEY: { status: 401, message: 'Invalid or missing API key' },
  INVALID_TOKEN: { status: 401, message: 'Invalid or expired token' },
  PAYMENT_REQUIRED: { status: 402, message: 'Payment required' },
  FORBIDDEN: { status: 403, message: 'Forbidden' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'Origin not allowed for this API key' },
  PUBLIC_KEY_NOT_ALLOWED: { status: 403, message: 'Public keys may only call authentication endpoints' },
  INSUFFICIENT_SCOPE: { status: 403, message: 'API key lacks the required scope' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  CONFLICT: { status: 409, message: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body too large' },
  VALIDATION_FAILED: { status: 422, message: 'Validation failed' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  INTERNAL: { status: 500, message: 'Internal server error' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A kernel code. */
export type KernelErrorCode = keyof typeof ERROR_CATALOG;
/** Any error code: a kernel one or a domain's own (`EMAIL_TAKEN`, …). */
export type ErrorCode = string;

/** One of a domain's own errors, as `defineErrors` declares it. */
export interface ErrorKind {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/**
 * A domain's own error codes, declared once by the subgraph that raises them
 * (`subgraphs/<name>/<name>.errors.ts`): `throw new DomainError(TenancyErrors.EMAIL_TAKEN)`.
 */
export function defineErrors<K extends string>(definitions: Record<K, { status: number; message: string }>): Readonly<Record<K, ErrorKind>> {
  const kinds = {} as Record<K, ErrorKind>;
  for (const [code, { status, message }] of Object.entries(definitions) as Array<[K, { status: number; message: string }]>) {
    if (code in ERROR_CATALOG) throw new Error(`Error code ${code} is the kernel's`);
    if (!/^[A-Z][A-Z0-9_]*$/.test(code) || status < 400 || status > 599) throw new Error(`Invalid error definition ${code} (${status})`);
    kinds[code] = Object.freeze({ code, status, message });
  }
  return Object.freeze(kinds);
}

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorDetails {
  fields?: FieldError[];
  /** Seconds until the caller may retry (429). */
  retryAfter?: number;
  /** The scopes that would have allowed the call (alternatives), for a key lacking them (403). */
  requiredScopes?: string[];
}

/** An expected failure that the caller can act on. Anything else is an internal error. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(
    kind: KernelErrorCode | ErrorKind,
    message?: string,
    readonly details: ErrorDetails = {},
  ) {
    const definition = typeof kind === 'string' ? { code: kind, ...ERROR_CATALOG[kind] } : kind;
    super(message ?? definition.message);
    this.name = 'DomainError';
    this.code = definition.code;
    this.status = definition.status;
  }
}

export function validationError(fields: FieldError[]): DomainError {
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new DomainError('VALIDATION_FAILED', `Validation failed: ${summary}`, { fields });
}

export function isKernelErrorCode(code: unknown): code is KernelErrorCode {
  return typeof code === 'string' && code in ERROR_CATALOG;
}

/** GraphQL-level codes (from graphql-js, Apollo and the gateway) mapped onto the catalog. */
const GRAPHQL_CODES: Record<string, KernelErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_REQUEST',
  GRAPHQL_VALIDATION_FAILED: 'BAD_REQUEST',
  BAD_USER_INPUT: 'VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
};

/**
 * The code and HTTP status of any GraphQL error: ours (a kernel code, or a domain code that
 * carries its status), or one graphql-js, Apollo or the gateway produced.
 */
export function describeGraphQLError(error: { message?: string; extensions?: Record<string, unknown> }): { code: ErrorCode; status: number } {
  const code = error.extensions?.code;
  const status = error.extensions?.status;
  if (isKernelErrorCode(code)) return { code, status: ERROR_CATALOG[code].status };
  if (typeof code === 'string' && GRAPHQL_CODES[code]) return { code: GRAPHQL_CODES[code], status: ERROR_CATALOG[GRAPHQL_CODES[code]].status };
  // A domain code's declared status: client errors, and the upstream ones a domain may state (502/503 of an unavailable provider).
  if (typeof code === 'string' && typeof status === 'number' && ((status >= 400 && status < 500) || status === 502 || status === 503)) return { code, status };
  if (error.message && /^Variable "\$\w+"/.test(error.message)) return { code: 'VALIDATION_FAILED', status: 422 };
  return { code: 'INTERNAL', status: 500 };
}

/** The HTTP status of a kernel code, or of a domain code when its status is given. */
export function httpStatusOf(code: ErrorCode, status?: number): number {
  return isKernelErrorCode(code) ? ERROR_CATALOG[code].status : (status ?? 500);
}

/** The default message of a kernel code (domain codes bring their own message). */
export function defaultMessageOf(code: ErrorCode): string {
  return isKernelErrorCode(code) ? ERROR_CATALOG[code].message : 'Request failed';
}

/** The GraphQL error a DomainError becomes; carries everything a REST profile needs. */
export function toGraphQLError(error: DomainError, path?: ReadonlyArray<string | number>): GraphQLError {
  return new GraphQLError(error.message, {
    path,
    extensions: {
      code: error.code,
      status: error.status,
      ...(error.details.fields ? { fields: error.details.fields } : {}),
      ...(error.details.retryAfter !== undefined ? { retryAfter: error.details.retryAfter } : {}),
      ...(error.details.requiredScopes ? { requiredScopes: error.details.requiredScopes } : {}),
    },
  });
}

/** Field names a "Variable "$x" ..." error message names (the wire names in REST). */
export function fieldsFromVariableError(message: string): FieldError[] {
  const match = /^Variable "\$(\w+)"(.*)$/s.exec(message);
  if (!match) return [];
  const reason = /was not provided/.test(match[2]) ? 'is required' : 'has an invalid value';
  return [{ field: match[1], message: reason }];
}
