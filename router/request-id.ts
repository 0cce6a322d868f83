import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { REQUEST_ID_HEADER } from './gateway';

const VALID_REQUEST_ID = /^[\w.-]{8,128}$/;

/**
 * The request's id: the caller's X-Request-ID when it is a sane token, else a new one. It is
 * written back onto the request, so the gateway's own request-id handling echoes and logs the
 * same id, and onto the response for the paths that never reach the gateway (REST, health).
 */
export function assignRequestId(req: http.IncomingMessage, res?: http.ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  const requestId = value && VALID_REQUEST_ID.test(value) ? value : randomUUID();
  req.headers[REQUEST_ID_HEADER] = requestId;
  res?.setHeader(REQUEST_ID_HEADER, requestId);
  return requestId;
}
