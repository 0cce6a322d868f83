import http from 'node:http';
import https from 'node:https';
import { DomainError } from '../errors';
import { signIdentity, type Identity } from '../identity';

/** What another subgraph answered: GraphQL's data and errors. */
export interface SubgraphAnswer<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

export interface SubgraphOperation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** A synchronous cross-domain call gives up after this long (the caller's request is waiting). */
const CALL_TIMEOUT_MS = 10_000;

// These calls sit on hot paths (the usage gate before every model call): node:http on kept-alive
// sockets costs ≈0.1 ms a call where fetch costs ≈0.5 ms.
const keptAliveSockets = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * A GraphQL call to another subgraph as `identity` (the caller's own, or a narrow service identity),
 * signed for exactly this operation like the router's calls: the owning subgraph applies its own
 * access rules, so nothing is learnt that the identity could not ask for. For queries (reads and
 * checks) only: a call that meets a kept-alive socket the subgraph had just closed is sent again.
 * Network failures throw.
 */
export async function callSubgraph<T>(url: string, internalSecret: string, identity: Identity, operation: SubgraphOperation): Promise<SubgraphAnswer<T>> {
  const signed = { query: operation.query, variables: operation.variables ?? {}, ...(operation.operationName ? { operationName: operation.operationName } : {}) };
  const platformIdentity = signIdentity(identity, signed, internalSecret);
  const body = JSON.stringify({ ...signed, extensions: { platformIdentity } });
  try {
    return (await postJson(url, body)) as SubgraphAnswer<T>;
  } catch (error) {
    if (!(error instanceof StaleSocketError)) throw error;
    return (await postJson(url, body)) as SubgraphAnswer<T>;
  }
}

/** The server closed a kept-alive socket as the request went out: nothing was processed (Node's documented retry case). */
class StaleSocketError extends Error {}

function postJson(url: string, body: string): Promise<unknown> {
  const target = new URL(url);
  const transport = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      { method: 'POST', agent: keptAliveSockets[target.protocol as keyof typeof keptAliveSockets], headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new Error(`${target.host} answered HTTP ${response.statusCode} without JSON`));
          }
        });
      },
    );
    const deadline = setTimeout(() => request.destroy(new Error(`${target.host} did not answer within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
    request.on('close', () => clearTimeout(deadline));
    request.on('error', (error: NodeJS.ErrnoException) => reject(request.reusedSocket && error.code === 'ECONNRESET' ? new StaleSocketError(error.message) : error));
    request.end(body);
  });
}

/** The call's data; an answer without data is an internal error naming `what` was unavailable. */
export async function subgraphData<T>(what: string, url: string, internalSecret: string, identity: Identity, operation: SubgraphOperation): Promise<T> {
  const answer = await callSubgraph<T>(url, internalSecret, identity, operation);
  if (!answer.data) throw new DomainError('INTERNAL', `${what} unavailable: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}
