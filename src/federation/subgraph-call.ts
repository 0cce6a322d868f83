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

/**
 * A GraphQL call to another subgraph as `identity` (the caller's own, or a narrow service identity),
 * signed for exactly this operation like the router's calls: the owning subgraph applies its own
 * access rules, so nothing is learnt that the identity could not ask for. Network failures throw.
 */
export async function callSubgraph<T>(url: string, internalSecret: string, identity: Identity, operation: SubgraphOperation): Promise<SubgraphAnswer<T>> {
  const signed = { query: operation.query, variables: operation.variables ?? {}, ...(operation.operationName ? { operationName: operation.operationName } : {}) };
  const platformIdentity = signIdentity(identity, signed, internalSecret);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...signed, extensions: { platformIdentity } }),
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  return (await response.json()) as SubgraphAnswer<T>;
}

/** The call's data; an answer without data is an internal error naming `what` was unavailable. */
export async function subgraphData<T>(what: string, url: string, internalSecret: string, identity: Identity, operation: SubgraphOperation): Promise<T> {
  const answer = await callSubgraph<T>(url, internalSecret, identity, operation);
  if (!answer.data) throw new DomainError('INTERNAL', `${what} unavailable: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}
