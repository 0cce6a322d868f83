import type http from 'node:http';

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-API-Key, X-Organization-Id, X-Workspace-ID, Idempotency-Key, X-Request-ID';
const EXPOSED_HEADERS = 'X-Request-ID, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';

/**
 * CORS for browser frontends. Any origin may ask; what a browser key may do from an origin is
 * decided by edge auth (a public key's allowed origins), not here. Answers preflights itself.
 * Returns true when the request was a preflight and has been answered.
 */
export function applyCors(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  res.end();
  return true;
}
