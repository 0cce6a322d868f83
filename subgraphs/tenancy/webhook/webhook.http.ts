import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveSafeTarget, UnsafeUrlError, type HostLookup, type SsrfPolicy } from '../../../src/net/ssrf-guard';

/**
 * Connections kept open between deliveries to the same host and port, as webhook senders do: each
 * was opened to an address the SSRF guard had just checked (its pinned lookup), and any attempt
 * that does not end cleanly destroys its socket. At most 64 attempts are in flight to one host at
 * a time (a receiver is not flooded; an attempt waiting for a socket still ends at its timeout, so a
 * job never outlives its expiry). An idle socket closes after 4 s, before the 5 s most servers keep
 * one (a shorter `Keep-Alive: timeout` hint from the receiver wins).
 */
const IDLE_SOCKET_MS = 4000;
const SOCKETS_PER_HOST = 64;
const KEEP_ALIVE = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_HOST, timeout: IDLE_SOCKET_MS }),
};

/** Bytes of a response body kept on the delivery. */
export const STORED_BODY_BYTES = 4096;

export interface AttemptResult {
  /** The response status (undefined when no response arrived in time). */
  statusCode?: number;
  /** Only 2xx is success: redirects are not followed. */
  success: boolean;
  responseBody?: string;
  /** Why no usable response arrived (timeout, refused address, connection error). */
  error?: string;
  durationMs: number;
  /** The receiver's Retry-After, in seconds. */
  retryAfterSeconds?: number;
}

export interface AttemptOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  policy: SsrfPolicy;
  /** Who answers for host names (the system resolver; tests script DNS answers). */
  lookupHost?: HostLookup;
}

function retryAfterSeconds(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/**
 * POSTs one webhook: the host is resolved and checked once by the SSRF guard, and the socket
 * connects to exactly that address (TLS still verifies the host name). One timeout covers the
 * whole attempt, a slow body included; the body is read up to STORED_BODY_BYTES.
 */
export async function postWebhook({ url, headers, body, timeoutMs, policy, lookupHost }: AttemptOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let target;
  try {
    target = await resolveSafeTarget(url, policy, lookupHost);
  } catch (error) {
    if (error instanceof UnsafeUrlError) return { success: false, error: `URL refused: ${error.message}`, durationMs: elapsed() };
    throw error;
  }
  const pinnedLookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as any)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const transport = target.url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    let statusCode: number | undefined; // kept when the headers came but the body did not finish in time
    const finish = (result: Omit<AttemptResult, 'durationMs'>, cleanEnd = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!cleanEnd) request.destroy();
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = transport.request(
      target.url,
      {
        method: 'POST',
        lookup: pinnedLookup,
        agent: KEEP_ALIVE[target.url.protocol === 'https:' ? 'https:' : 'http:'],
        headers: { 'content-type': 'application/json', 'user-agent': 'platform-webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        statusCode = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < STORED_BODY_BYTES) {
            chunks.push(chunk.subarray(0, STORED_BODY_BYTES - kept));
            kept += Math.min(chunk.length, STORED_BODY_BYTES - kept);
          }
        });
        response.on('end', () =>
          finish({
            statusCode,
            success: statusCode! >= 200 && statusCode! < 300,
            responseBody: Buffer.concat(chunks).toString('utf8'),
            retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']),
          }, true),
        );
        response.on('error', (error) => finish({ statusCode, success: false, error: error.message }));
      },
    );
    const timer = setTimeout(() => finish({ statusCode, success: false, error: `Timed out after ${timeoutMs} ms` }), timeoutMs);
    request.on('error', (error) => finish({ success: false, error: error.message }));
    request.end(body);
  });
}
