import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { resolveSafeTarget, type SsrfPolicy } from './ssrf-guard';

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  return Object.fromEntries(new Headers(headers ?? {}).entries());
}

/**
 * A `fetch` for URLs chosen by tenants (MCP servers): each request's host is resolved and checked
 * by the SSRF guard, and the socket connects to exactly the checked address (TLS still verifies
 * the host name), so a DNS answer that changes after the check cannot redirect it. Redirects are
 * not followed; the response body streams (server-sent events work).
 */
export function pinnedFetch(policy: SsrfPolicy): FetchLike {
  return async (url, init = {}) => {
    const target = await resolveSafeTarget(String(url), policy);
    const lookup: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as any)(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const body = init.body == null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(await new Response(init.body).arrayBuffer());
    const transport = target.url.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(target.url, { method: init.method ?? 'GET', headers: headerRecord(init.headers), lookup, agent: false, signal: init.signal ?? undefined }, (response) => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
          else if (value !== undefined) headers.set(name, value);
        }
        const status = response.statusCode ?? 502;
        const noBody = status === 204 || status === 304 || init.method === 'HEAD';
        if (noBody) response.resume();
        resolve(new Response(noBody ? null : (Readable.toWeb(response) as ReadableStream), { status, statusText: response.statusMessage, headers }));
      });
      request.on('error', reject);
      request.end(body);
    });
  };
}
