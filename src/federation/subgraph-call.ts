import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
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
/** A connection nobody used for this long is closed (the next call opens another). */
const IDLE_CLOSE_MS = 60_000;

/**
 * One graphql-ws connection per subgraph, opened by the first call and kept while calls come:
 * these calls sit on hot paths (the usage gate before every model call), and an operation on an
 * open WebSocket takes ≈0.5 ms less to answer than an HTTP request to an idle process on these VMs
 * (≈0.5 vs ≈1.0 ms a round trip), besides skipping the HTTP server's request pipeline.
 */
const connections = new Map<string, Client>();
/** The last socket error of each connection (ECONNREFUSED…), to say why it closed. */
const socketErrors = new Map<string, Error>();

function connectionTo(url: string): Client {
  let client = connections.get(url);
  if (!client) {
    client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: true,
      lazyCloseTimeout: IDLE_CLOSE_MS,
      retryAttempts: 0,
      on: {
        connected: () => socketErrors.delete(url),
        error: (error) => socketErrors.set(url, error as Error),
      },
    });
    connections.set(url, client);
  }
  return client;
}

/** Closes every connection callSubgraph opened (a subgraph that stops, a test that ends). */
export async function closeSubgraphConnections(): Promise<void> {
  const clients = [...connections.values()];
  connections.clear();
  socketErrors.clear();
  await Promise.all(clients.map((client) => client.dispose()));
}

/**
 * A GraphQL call to another subgraph as `identity` (the caller's own, or a narrow service identity),
 * signed for exactly this operation like the router's calls: the owning subgraph applies its own
 * access rules, so nothing is learnt that the identity could not ask for. For queries (reads and
 * checks) only: a call whose connection closes before it is answered is sent once more on a new
 * one (the subgraph may have restarted since the last call). Network failures throw.
 */
export async function callSubgraph<T>(url: string, internalSecret: string, identity: Identity, operation: SubgraphOperation): Promise<SubgraphAnswer<T>> {
  const signed = { query: operation.query, variables: operation.variables ?? {}, ...(operation.operationName ? { operationName: operation.operationName } : {}) };
  const platformIdentity = signIdentity(identity, signed, internalSecret);
  const payload = { ...signed, extensions: { platformIdentity } };
  try {
    return await run<T>(url, payload);
  } catch (error) {
    if (!(error instanceof ConnectionClosedError)) throw error;
    return await run<T>(url, payload);
  }
}

/** The connection closed before the answer came. */
class ConnectionClosedError extends Error {}

function run<T>(url: string, payload: SubgraphOperation & { extensions: Record<string, unknown> }): Promise<SubgraphAnswer<T>> {
  const host = new URL(url).host;
  return new Promise((resolve, reject) => {
    let answer: SubgraphAnswer<T> | undefined;
    const deadline = setTimeout(() => {
      cancel();
      reject(new Error(`${host} did not answer within ${CALL_TIMEOUT_MS} ms`));
    }, CALL_TIMEOUT_MS);
    const cancel = connectionTo(url).subscribe<T>(payload, {
      next: (result) => (answer = result as SubgraphAnswer<T>),
      // The subgraph refused the operation (its identity or document): an answer with errors, as over HTTP.
      error: (error: unknown) => {
        clearTimeout(deadline);
        if (Array.isArray(error)) return resolve({ errors: error });
        if (error instanceof Error) return reject(error);
        const { code, reason } = error as { code?: number; reason?: string };
        const why = socketErrors.get(url)?.message ?? reason;
        reject(new ConnectionClosedError(`${host} closed the connection (${code ?? 'no code'}${why ? `: ${why}` : ''})`));
      },
      complete: () => {
        clearTimeout(deadline);
        if (answer) resolve(answer);
        else reject(new Error(`${host} completed the operation without an answer`));
      },
    });
  });
}

/** The call's data; an answer without data is an internal error naming `what` was unavailable. */
export async function subgraphData<T>(what: string, url: string, internalSecret: string, identity: Identity, operation: SubgraphOperation): Promise<T> {
  const answer = await callSubgraph<T>(url, internalSecret, identity, operation);
  if (!answer.data) throw new DomainError('INTERNAL', `${what} unavailable: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}
