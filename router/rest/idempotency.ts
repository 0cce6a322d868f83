import { createHash } from 'node:crypto';
import type http from 'node:http';
import { rowsOf, type SqlRunner } from '../../src/db/sql-runner';
import type { Identity } from '../../src/identity';

/** An answer as the face sends it; what a retry with the same key gets back. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type IdempotencyClaim =
  /** First use of the key: run the request, then `complete` (or `release` when it failed). */
  | { kind: 'new' }
  | { kind: 'replay'; response: StoredResponse }
  /** The same key with another method, path or body. */
  | { kind: 'mismatch' }
  /** The first request with this key is still running. */
  | { kind: 'in-progress' };

/** How long a key is honoured (000_… "Idempotency": 24 hours). */
export const IDEMPOTENCY_WINDOW_HOURS = 24;
/**
 * A claim still without an answer after this long was abandoned (its router died mid-request; no
 * request runs this long): the key is free again rather than answering 409 for a day.
 */
export const ABANDONED_CLAIM_MINUTES = 5;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
const NO_TENANT = '00000000-0000-0000-0000-000000000000';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** The answers every face gives, in its own error body (422 naming the header, 409). */
export const KEY_REUSED = 'was already used for a different request';
export const STILL_RUNNING = 'A request with this Idempotency-Key is still being processed; retry later.';

/**
 * `Idempotency-Key` on writes (IETF draft semantics): the first request with a key runs and its
 * answer is kept; the same key and request within 24 hours gets that answer again without running
 * anything; the same key with another request is refused. Scoped per tenant and caller, in
 * PostgreSQL so every router replica agrees.
 */
export class IdempotencyStore {
  constructor(private readonly db: SqlRunner) {}

  /** `headers`: request headers that choose what the request does (e.g. an `X-Organization-Id` bound to a variable). */
  static requestHash(method: string, path: string, body: string | undefined, headers = ''): string {
    return createHash('sha256').update(`${method}\n${path}\n${body ?? ''}${headers ? `\n${headers}` : ''}`).digest('hex');
  }

  static callerOf(identity: Identity): string {
    // End users of one public key are different callers: a key of one never answers another.
    if (identity.apiKeyId) return identity.userId ? `key:${identity.apiKeyId}:user:${identity.userId}` : `key:${identity.apiKeyId}`;
    if (identity.adminId) return `admin:${identity.adminId}`;
    return `user:${identity.userId ?? ''}`;
  }

  /** Whose keys these are: the tenant (the nil tenant for a tenant admin acting outside any workspace) and the caller. */
  static scopeOf(identity: Identity): { tenantId: string; caller: string } {
    return { tenantId: identity.tenantId ?? NO_TENANT, caller: IdempotencyStore.callerOf(identity) };
  }

  /** Only a caller with credentials has keys of its own (an anonymous caller's would be everyone's). */
  static applies(identity: Identity | undefined): identity is Identity {
    return !!(identity?.tenantId || identity?.adminId);
  }

  /** What is wrong with a key's value, if anything (as a field message). */
  static keyProblem(key: string): string | undefined {
    return key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH ? `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters` : undefined;
  }

  async claim(tenantId: string, caller: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    // A key older than the window, or an abandoned claim, is free again: the row is replaced in the same statement.
    const [row] = rowsOf(
      await this.db.query(
        `INSERT INTO platform.idempotency_keys AS k (tenant_id, caller, key, request_hash)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, caller, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, status = NULL, headers = NULL, body = NULL, created_at = now()
           WHERE k.created_at < now() - make_interval(hours => $5) OR (k.status IS NULL AND k.created_at < now() - make_interval(mins => $6))
         RETURNING true AS claimed`,
        [tenantId, caller, key, requestHash, IDEMPOTENCY_WINDOW_HOURS, ABANDONED_CLAIM_MINUTES],
      ),
    );
    if (row?.claimed) return { kind: 'new' };
    const [existing] = rowsOf(
      await this.db.query(`SELECT request_hash, status, headers, body FROM platform.idempotency_keys WHERE tenant_id = $1 AND caller = $2 AND key = $3`, [
        tenantId,
        caller,
        key,
      ]),
    );
    if (!existing) return this.claim(tenantId, caller, key, requestHash); // released meanwhile
    if (existing.request_hash !== requestHash) return { kind: 'mismatch' };
    if (existing.status === null) return { kind: 'in-progress' };
    return { kind: 'replay', response: { status: existing.status, headers: existing.headers ?? {}, body: existing.body ?? '' } };
  }

  async complete(tenantId: string, caller: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.query(`UPDATE platform.idempotency_keys SET status = $4, headers = $5, body = $6 WHERE tenant_id = $1 AND caller = $2 AND key = $3`, [
      tenantId,
      caller,
      key,
      response.status,
      JSON.stringify(response.headers),
      response.body,
    ]);
  }

  /** Forgets a key whose request failed on our side, so a retry runs it again. */
  async release(tenantId: string, caller: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM platform.idempotency_keys WHERE tenant_id = $1 AND caller = $2 AND key = $3 AND status IS NULL`, [tenantId, caller, key]);
  }
}

type SendError = (code: string, message?: string, extra?: { fields?: { field: string; message: string }[] }) => void;

/**
 * Serves a write that carries an `Idempotency-Key`: runs `respond` the first time and keeps what
 * it answered (below 500; a failure on our side frees the key for a retry); replays it for the
 * same key and request; 422 for the same key with another request, 409 while the first runs.
 */
export async function serveOnce(
  store: IdempotencyStore,
  call: { req: http.IncomingMessage; res: http.ServerResponse; identity: Identity; key: string; body: string | undefined; headers?: string },
  respond: () => Promise<void>,
  sendError: SendError,
): Promise<void> {
  const { req, res, identity, key } = call;
  const problem = IdempotencyStore.keyProblem(key);
  if (problem) return sendError('VALIDATION_FAILED', undefined, { fields: [{ field: IDEMPOTENCY_HEADER, message: problem }] });
  const { tenantId, caller } = IdempotencyStore.scopeOf(identity);
  const claim = await store.claim(tenantId, caller, key, IdempotencyStore.requestHash(req.method ?? '', req.url ?? '', call.body, call.headers));
  switch (claim.kind) {
    case 'mismatch':
      return sendError('VALIDATION_FAILED', undefined, { fields: [{ field: IDEMPOTENCY_HEADER, message: KEY_REUSED }] });
    case 'in-progress':
      return sendError('CONFLICT', STILL_RUNNING);
    case 'replay': {
      const { status, headers, body } = claim.response;
      res.writeHead(status, { ...headers, 'idempotent-replayed': 'true', ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) });
      res.end(body || undefined);
      return;
    }
  }
  const recorded = recordResponse(res);
  try {
    await respond();
  } catch (error) {
    await store.release(tenantId, caller, key);
    throw error;
  }
  const response = recorded();
  if (response.status >= 500) await store.release(tenantId, caller, key);
  else await store.complete(tenantId, caller, key, response);
}

/** Headers that describe the request itself, never replayed. */
export const PER_REQUEST_HEADERS = /^(content-length|x-request-id|date|connection|x-ratelimit-.*)$/;

/** What a handler writes to `res`: status, headers (but the length) and body. */
function recordResponse(res: http.ServerResponse): () => StoredResponse {
  const headers: Record<string, string> = {};
  let body = '';
  const writeHead = res.writeHead.bind(res) as (...args: any[]) => http.ServerResponse;
  const end = res.end.bind(res) as (...args: any[]) => http.ServerResponse;
  res.writeHead = ((status: number, ...rest: any[]) => {
    const given = rest.find((r) => r && typeof r === 'object');
    if (given) for (const [name, value] of Object.entries(given)) headers[name.toLowerCase()] = String(value);
    return writeHead(status, ...rest);
  }) as typeof res.writeHead;
  res.end = ((chunk?: any, ...rest: any[]) => {
    if (chunk && typeof chunk !== 'function') body = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    return end(chunk, ...rest);
  }) as typeof res.end;
  return () => {
    for (const [name, value] of Object.entries(res.getHeaders())) headers[name] ??= String(value);
    // Per-request headers are the replay's own.
    for (const name of Object.keys(headers)) if (PER_REQUEST_HEADERS.test(name)) delete headers[name];
    return { status: res.statusCode, headers, body };
  };
}
