import { randomUUID } from 'node:crypto';
import type http from 'node:http';

/** Accepts a caller's X-Request-ID when it is a sane token, else makes one. */
export function requestIdOf(req: http.IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  return value && /^[\w.-]{8,128}$/.test(value) ? value : randomUUID();
}
