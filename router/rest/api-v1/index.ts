import { isKernelErrorCode, type FieldError } from '../../../src/errors';
import { DEFAULT_PER_PAGE } from '../../../src/federation/paging';
import type { ErrorBodyInput, RestFace, RestRequestInfo, SelectedPage } from '../face';

/**
 * The core API (`000_…`): `{"data": …}` bodies (with the endpoint's `message` where the document
 * shows one), `{data, meta, links}` pages, `fields`/`include` on every endpoint, and errors
 * `{"error": "code", "message": "..."}` as its "Error Responses" section shows them.
 */
export const API_V1_FACE: RestFace = {
  name: 'api-v1',
  basePath: '/api/v1',
  title: 'Core API (/api/v1)',
  description: 'Workspaces, API keys and the resources of a workspace, for server-side integrations (secret keys with scopes).',
  documents: { 'API Keys': 'router/rest/api-v1/api-keys.graphql', Workspaces: 'router/rest/api-v1/workspaces.graphql', Webhooks: 'router/rest/api-v1/webhooks.graphql', Entitlements: 'router/rest/api-v1/entitlements.graphql', 'SEO Reports': 'router/rest/api-v1/seo.graphql', 'Pixel Tracking': 'router/rest/api-v1/pixel.graphql' },
  openApiPaths: ['/api/v1/openapi.json'],
  errorBody: coreErrorBody,
  // A transformed endpoint answers its documented body as it is (the webhook test result has no `data` wrapper).
  successBody: (body, endpoint) => (endpoint.page || endpoint.transform ? body : endpoint.message ? { message: endpoint.message, data: body } : { data: body }),
  pageBody: corePage,
  projection: { fields: 'fields', include: 'include' },
  envelopeType: (endpoint, selected) => {
    const name = `${endpoint.name[0].toUpperCase()}${endpoint.name.slice(1)}Body`;
    if (endpoint.page) return { name, sdl: `type ${name} {\n  data: ${selected}\n  meta: PageMeta!\n  links: PageLinks!\n}` };
    if (endpoint.status === 204) return undefined;
    return { name, sdl: `type ${name} {\n${endpoint.message ? '  message: String!\n' : ''}  data: ${selected}\n}` };
  },
  transforms: {
    webhookTestResult: { returns: 'WebhookTestResponse', apply: (result) => result },
    pixelConfig: { returns: 'PixelConfigResponse', apply: (result) => result },
    pixelTracked: { returns: 'PixelTrackResponse', apply: (result) => result },
  },
  typeDefs: /* GraphQL */ `
    """What the endpoint answered to a test event (000_… "Test Webhook Endpoint"): not wrapped in data."""
    type WebhookTestResponse {
      success: Boolean!
      status_code: Int
      response_time_ms: Int!
      response_body: String
      error: String
    }
    """000_… "Get Pixel Configuration" (not wrapped in data)."""
    type PixelConfigResponse {
      enabled: Boolean!
      features: PixelFeaturesResponse!
      sample_rate: Float!
    }
    type PixelFeaturesResponse {
      pageviews: Boolean!
      events: Boolean!
      sessions: Boolean!
    }
    """000_… "Track Event" (not wrapped in data)."""
    type PixelTrackResponse {
      tracked: Boolean!
    }
    """Where a page sits in the list (000_… "Pagination")."""
    type PageMeta {
      current_page: Int!
      from: Int
      last_page: Int!
      per_page: Int!
      to: Int
      total: Int!
    }
    """Absolute URLs of the other pages, keeping the request's other parameters."""
    type PageLinks {
      first: String!
      last: String!
      prev: String
      next: String
    }
  `,
  idempotency: true,
};

/** The document's error names for the kernel's codes, by status; a domain's own code is its name in lower case. */
const ERROR_NAMES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'access_denied',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'rate_limit_exceeded',
};

function coreErrorBody({ code, status, message, fields, requiredScopes, retryAfter, requestId, rateLimit }: ErrorBodyInput): unknown {
  if (status >= 500) return { error: 'server_error', message: 'An unexpected error occurred.', request_id: requestId ?? null };
  if (fields?.length) return { error: 'validation_failed', message: 'The given data was invalid.', errors: fieldMessages(fields) };
  if (code === 'INSUFFICIENT_SCOPE' && requiredScopes?.length) {
    return { error: 'access_denied', message: `Insufficient permissions. Required scope: ${requiredScopes.join(' or ')}` };
  }
  const error = isKernelErrorCode(code) ? (ERROR_NAMES[status] ?? code.toLowerCase()) : code.toLowerCase();
  if (status === 429) {
    const limits = rateLimit ? { limit: rateLimit.limit, remaining: rateLimit.remaining, reset_at: new Date(rateLimit.resetAt * 1000).toISOString() } : {};
    return { error, message, retry_after: retryAfter ?? null, ...limits };
  }
  return { error, message };
}

/** `{"name": ["The name field is required."]}`: the messages of each wire field. */
function fieldMessages(fields: FieldError[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const { field, message } of fields) (errors[field] ??= []).push(`The ${field} field ${message}.`);
  return errors;
}

/** `{data, meta, links}`: the page numbers the request asked for, links keeping its other parameters. */
function corePage({ items, total }: SelectedPage, { url, variables }: RestRequestInfo): unknown {
  const page = Number(variables.page ?? 1);
  const perPage = Number(variables.per_page ?? DEFAULT_PER_PAGE);
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const from = items.length ? (page - 1) * perPage + 1 : null;
  const link = (n: number) => {
    const target = new URL(url);
    target.searchParams.set('page', String(n));
    return target.toString();
  };
  return {
    data: items,
    meta: { current_page: page, from, last_page: lastPage, per_page: perPage, to: from === null ? null : from + items.length - 1, total },
    links: { first: link(1), last: link(lastPage), prev: page > 1 ? link(Math.min(page - 1, lastPage)) : null, next: page < lastPage ? link(page + 1) : null },
  };
}
