import { GraphQLError } from 'graphql';

/**
 * The one catalog of domain error codes. Each code maps, here and nowhere else, to the
 * GraphQL `extensions.code`, the HTTP status and (through `restErrorBody`) each REST
 * profile's error body.
 */
export const ERROR_CATALOG = {
  BAD_REQUEST: { status: 400, message: 'Bad request' },
  MALFORMED_JSON: { status: 400, message: 'Request body is not valid JSON' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication required' },
  INVALID_API_KEY: { status: 401, message: 'Invalid or missing API key' },
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid email or password' },
  INVALID_TOKEN: { status: 401, message: 'Invalid or expired token' },
  PAYMENT_REQUIRED: { status: 402, message: 'Payment required' },
  FORBIDDEN: { status: 403, message: 'Forbidden' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'Origin not allowed for this API key' },
  PUBLIC_KEY_NOT_ALLOWED: { status: 403, message: 'Public keys may only call authentication endpoints' },
  INSUFFICIENT_SCOPE: { status: 403, message: 'API key lacks the required scope' },
  EMAIL_NOT_VERIFIED: { status: 403, message: 'Email not verified' },
  ACCOUNT_DISABLED: { status: 403, message: 'Account is disabled' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  CONFLICT: { status: 409, message: 'Conflict' },
  EMAIL_TAKEN: { status: 409, message: 'Email already registered' },
  SLUG_TAKEN: { status: 409, message: 'Slug already in use' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body too large' },
  VALIDATION_FAILED: { status: 422, message: 'Validation failed' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  INTERNAL: { status: 500, message: 'Internal server error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorDetails {
  fields?: FieldError[];
  /** Seconds until the caller may retry (429). */
  retryAfter?: number;
}

/** An expected failure that the caller can act on. Anything else is an internal error. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message ?? ERROR_CATALOG[code].message);
    this.name = 'DomainError';
  }
}

export function validationError(fields: FieldError[]): DomainError {
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new DomainError('VALIDATION_FAILED', `Validation failed: ${summary}`, { fields });
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && code in ERROR_CATALOG;
}

/** GraphQL-level codes (from graphql-js, Apollo and the gateway) mapped onto the catalog. */
const GRAPHQL_CODES: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: 'BAD_REQUEST',
  GRAPHQL_VALIDATION_FAILED: 'BAD_REQUEST',
  BAD_USER_INPUT: 'VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_REQUEST',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
};

/** Reads the catalog code of any GraphQL error (ours, or one graphql-js produced). */
export function codeOfGraphQLError(error: { message?: string; extensions?: Record<string, unknown> }): ErrorCode {
  const code = error.extensions?.code;
  if (isErrorCode(code)) return code;
  if (typeof code === 'string' && GRAPHQL_CODES[code]) return GRAPHQL_CODES[code];
  if (error.message && /^Variable "\$\w+"/.test(error.message)) return 'VALIDATION_FAILED';
  return 'INTERNAL';
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CATALOG[code].status;
}

/** The GraphQL error a DomainError becomes; carries everything a REST profile needs. */
export function toGraphQLError(error: DomainError, path?: ReadonlyArray<string | number>): GraphQLError {
  return new GraphQLError(error.message, {
    path,
    extensions: {
      code: error.code,
      status: httpStatusOf(error.code),
      ...(error.details.fields ? { fields: error.details.fields } : {}),
      ...(error.details.retryAfter !== undefined ? { retryAfter: error.details.retryAfter } : {}),
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
