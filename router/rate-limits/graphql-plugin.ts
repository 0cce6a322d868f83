import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { EdgeServerContext } from '../edge-auth-plugin';
import { RateLimiter, type RateLimitHit } from './rate-limiter';

/**
 * The tier's request limit on GraphQL over HTTP (REST faces apply it themselves, before their
 * body is read; their operations reach the gateway without `onRequest`, so nothing counts twice).
 * Runs after edge authentication: every answer to a caller with credentials carries the
 * `X-RateLimit-*` headers; beyond the allowance, HTTP 429 with `Retry-After` and one error whose
 * `extensions.code` is `RATE_LIMITED`, before anything is parsed or planned.
 */
export function graphqlRateLimits(limiter: RateLimiter): GatewayPlugin {
  const hits = new WeakMap<Request, RateLimitHit>();
  return {
    async onRequest({ request, serverContext, endResponse, fetchAPI }) {
      const identity = (serverContext as Partial<EdgeServerContext>).identity;
      if (!identity || !RateLimiter.applies(identity)) return;
      const hit = await limiter.hit(identity);
      if (hit.allowed) {
        hits.set(request, hit);
        return;
      }
      const seconds = hit.retryAfterSeconds;
      const error = { message: `Too many requests. Please retry after ${seconds} seconds.`, extensions: { code: 'RATE_LIMITED', retryAfter: seconds } };
      endResponse(fetchAPI.Response.json({ errors: [error] }, { status: 429, headers: { ...RateLimiter.headers(hit), 'retry-after': String(seconds) } }));
    },
    onResponse({ request, response }) {
      const hit = hits.get(request);
      if (hit) for (const [name, value] of Object.entries(RateLimiter.headers(hit))) response.headers.set(name, value);
    },
  };
}
