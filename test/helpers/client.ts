import { randomUUID } from 'node:crypto';
import { testPlatform } from './global';

export interface CallOptions {
  apiKey?: string;
  /** Sent as `Authorization: Bearer ...` (an access token or a secret key). */
  bearer?: string;
  /** Client IP the router sees (tests run with TRUST_PROXY). */
  ip?: string;
  origin?: string;
  headers?: Record<string, string>;
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

let ipCounter = 0;
/** A fresh client IP, so rate-limit counters never leak between tests. */
export function uniqueIp(): string {
  ipCounter += 1;
  return `10.${(process.pid >> 8) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

function headersFor(options: CallOptions): Record<string, string> {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? uniqueIp(), ...options.headers };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.origin) headers.origin = options.origin;
  return headers;
}

/** A REST call through the router. */
export async function rest<T = any>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<HttpResult<T>> {
  const headers = headersFor(options);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(testPlatform().routerUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** A GraphQL call through the router. */
export async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, options: CallOptions = {}): Promise<HttpResult<{ data?: T; errors?: any }>> {
  const response = await fetch(`${testPlatform().routerUrl}/graphql`, {
    method: 'POST',
    headers: { ...headersFor(options), 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** GraphQL data, failing the test with the errors when there are any. */
export async function gqlData<T = any>(query: string, variables: Record<string, unknown> = {}, options: CallOptions = {}): Promise<T> {
  const result = await gql<T>(query, variables, options);
  if (result.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.body.errors)}`);
  return result.body.data as T;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

export const PASSWORD = 'SecurePass123';

/** Polls until `check` returns a value (for eventually consistent effects such as events). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
