import type { SecretBox } from '../../../src/auth/secret-box';
import { validationError, type FieldError } from '../../../src/errors';
import { parseTargetUrl, UnsafeUrlError, type SsrfPolicy } from '../../../src/net/ssrf-guard';

/**
 * An agent's MCP servers (Streamable HTTP). Given as
 * `{"name": "docs", "url": "https://…/mcp", "headers": {"X-Key": "…"}, "bearer_token": "…", "description": "…"}`;
 * stored with the headers and token sealed (SecretBox) and returned with their values masked.
 */
export interface StoredMcpServer {
  name: string;
  url: string;
  description?: string;
  header_names: string[];
  has_bearer_token: boolean;
  /** JSON `{headers, bearerToken}`, sealed; null without credentials. */
  sealed: string | null;
}

/** What the platform connects with: the credentials opened. */
export interface McpServerConnection {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** Shown in place of a stored credential; sent back unchanged on update, it keeps the stored value. */
export const MASKED = '********';
export const MAX_MCP_SERVERS = 10;

const KEYS = new Set(['name', 'url', 'description', 'headers', 'bearer_token', 'bearerToken', 'transport', 'type']);
const TRANSPORTS = ['streamable-http', 'streamable_http', 'streamableHttp', 'http'];
const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const HEADER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
// Set by the transport itself: a configured value would break the protocol.
const RESERVED_HEADERS = new Set(['content-type', 'accept', 'content-length', 'host', 'mcp-session-id', 'mcp-protocol-version']);

interface Credentials {
  headers: Record<string, string>;
  bearerToken: string | null;
}

/** The value the client sees: credentials masked, never returned. Tolerates rows stored before sealing existed. */
export function publicMcpServers(stored: unknown[]): Array<Record<string, unknown>> {
  return stored.map((raw) => {
    const server = raw as Partial<StoredMcpServer>;
    const view: Record<string, unknown> = { name: server.name ?? null, url: server.url ?? null };
    if (server.description) view.description = server.description;
    if (server.header_names?.length) view.headers = Object.fromEntries(server.header_names.map((h) => [h, MASKED]));
    if (server.has_bearer_token) view.bearer_token = MASKED;
    return view;
  });
}

/** Opens the credentials for a connection; throws when they no longer open (the platform secret changed). */
export function openMcpServer(stored: StoredMcpServer, box: SecretBox): McpServerConnection {
  let credentials: Credentials = { headers: {}, bearerToken: null };
  try {
    if (stored.sealed) credentials = JSON.parse(box.open(stored.sealed)) as Credentials;
  } catch {
    throw new Error('its stored credentials can no longer be decrypted (was the platform secret changed?): set them again');
  }
  const headers = { ...credentials.headers };
  if (credentials.bearerToken) headers.Authorization = `Bearer ${credentials.bearerToken}`;
  return { name: stored.name, url: stored.url, headers };
}

function previousCredentials(previous: StoredMcpServer | undefined, box: SecretBox): Credentials {
  if (!previous?.sealed) return { headers: {}, bearerToken: null };
  try {
    return JSON.parse(box.open(previous.sealed)) as Credentials;
  } catch {
    return { headers: {}, bearerToken: null };
  }
}

/**
 * Validates the given list (422 with the failing fields) and seals its credentials. A masked value
 * keeps the credential stored for the same server (matched by name) in `previous`.
 */
export function sealMcpServers(input: Array<Record<string, unknown>>, previous: unknown[], box: SecretBox, policy: SsrfPolicy): StoredMcpServer[] {
  const errors: FieldError[] = [];
  if (input.length > MAX_MCP_SERVERS) errors.push({ field: 'mcpServers', message: `must have at most ${MAX_MCP_SERVERS} servers` });
  const names = new Set<string>();
  const stored = input.map((server, i) => {
    const at = (key: string) => `mcpServers[${i}].${key}`;
    const fail = (key: string, message: string) => void errors.push({ field: at(key), message });
    for (const key of Object.keys(server)) if (!KEYS.has(key)) fail(key, `is not a setting of an MCP server (allowed: ${[...KEYS].join(', ')})`);
    let url = '';
    if (typeof server.url !== 'string') fail('url', 'is required: the Streamable HTTP endpoint of the MCP server');
    else {
      try {
        parseTargetUrl(server.url.trim(), policy);
        url = server.url.trim(); // as given: the client reads back what it set
      } catch (error) {
        fail('url', error instanceof UnsafeUrlError ? error.message : 'must be a valid URL');
      }
    }
    const name = server.name === undefined ? `server${i + 1}` : server.name;
    if (typeof name !== 'string' || !NAME.test(name)) fail('name', 'must be 1 to 32 letters, digits, _ or -');
    else if (names.has(name)) fail('name', 'must be unique among the agent\'s MCP servers');
    else names.add(name);
    if (server.description !== undefined && (typeof server.description !== 'string' || server.description.length > 500)) fail('description', 'must be a string of at most 500 characters');
    for (const key of ['transport', 'type'] as const) {
      if (server[key] !== undefined && !TRANSPORTS.includes(server[key] as string)) fail(key, 'must be streamable-http (the only transport supported)');
    }
    const old = previousCredentials((previous as StoredMcpServer[]).find((p) => p?.name === name), box);
    const headers: Record<string, string> = {};
    if (server.headers !== undefined && server.headers !== null) {
      if (typeof server.headers !== 'object' || Array.isArray(server.headers)) fail('headers', 'must be an object of header names to string values');
      else {
        for (const [header, value] of Object.entries(server.headers)) {
          if (!HEADER.test(header) || RESERVED_HEADERS.has(header.toLowerCase())) fail(`headers.${header}`, 'is not a header that may be set');
          else if (typeof value !== 'string' || value.length > 8000 || /[\r\n]/.test(value)) fail(`headers.${header}`, 'must be a single-line string of at most 8000 characters');
          else headers[header] = value === MASKED ? (old.headers[header] ?? '') : value;
        }
      }
    }
    const rawToken = server.bearer_token ?? server.bearerToken;
    let bearerToken: string | null = null;
    if (rawToken !== undefined && rawToken !== null) {
      if (typeof rawToken !== 'string' || !rawToken || rawToken.length > 8000 || /[\r\n\s]/.test(rawToken)) fail('bearer_token', 'must be a token without spaces, at most 8000 characters');
      else bearerToken = rawToken === MASKED ? old.bearerToken : rawToken;
    }
    const credentials: Credentials = { headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v)), bearerToken };
    const hasCredentials = Object.keys(credentials.headers).length > 0 || !!bearerToken;
    const result: StoredMcpServer = {
      name: name as string,
      url,
      header_names: Object.keys(credentials.headers),
      has_bearer_token: !!bearerToken,
      sealed: hasCredentials ? box.seal(JSON.stringify(credentials)) : null,
    };
    if (typeof server.description === 'string') result.description = server.description;
    return result;
  });
  if (errors.length) throw validationError(errors);
  return stored;
}
