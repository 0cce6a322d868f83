import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { defaultPrintFn } from '@graphql-tools/executor-common';
import { getOperationASTFromRequest } from '@graphql-tools/utils';
import { bindIdentity, IDENTITY_EXTENSION, IDENTITY_MAX_AGE_SECONDS, sealIdentity, type Identity, type SignedOperation } from '../src/identity';

/** Refresh a cached sealed identity well before subgraphs would call it stale. */
const RESEAL_AFTER_MS = (IDENTITY_MAX_AGE_SECONDS * 1000) / 4;
/** Bound on the per-identity cache (a flood of distinct callers only costs re-sealing). */
const MAX_CACHED_CALLERS = 10_000;

/**
 * Signs identities for subgraph requests. The sealed identity (everything signed about the
 * caller, request id excluded) is cached per caller for a quarter of its lifetime; the MAC that
 * binds it to one operation is computed per request. So within one window, one caller and one
 * (query, variables) always give the same token: identical subgraph requests stay identical.
 */
export class IdentitySigner {
  private readonly sealed = new Map<string, { sealed: string; at: number }>();

  constructor(private readonly secret: string) {}

  /** The signed caller: what the token says about who calls, without the per-request id. */
  callerKey(identity: Identity): string {
    const { requestId: _requestId, ...stable } = identity;
    return JSON.stringify(stable);
  }

  sign(identity: Identity, operation: SignedOperation, now = Date.now()): string {
    const key = this.callerKey(identity);
    let hit = this.sealed.get(key);
    if (!hit || now - hit.at >= RESEAL_AFTER_MS) {
      if (this.sealed.size >= MAX_CACHED_CALLERS) this.sealed.clear();
      hit = { sealed: sealIdentity({ ...identity, requestId: '' }, now), at: now };
      this.sealed.set(key, hit);
    }
    return bindIdentity(hit.sealed, operation, this.secret);
  }
}

/**
 * Signs the caller's identity, bound to the operation and variables, into every subgraph
 * request's `extensions` (HTTP body and graphql-ws subscribe payload alike), so upstream
 * websockets stay shared across users. The query text signed is the transports' own print of
 * the document (`defaultPrintFn`, cached per document), i.e. exactly what goes on the wire.
 * The request id travels apart from the signed part, and only with mutations and
 * subscriptions: identical queries of one caller then stay identical, so the executor can
 * merge them in flight. Entity batching re-signs the requests it merges (entity-batching.ts).
 */
export function identityForwarding(signer: IdentitySigner): GatewayPlugin {
  return {
    onSubgraphExecute({ executionRequest, setExecutionRequest }) {
      const identity = (executionRequest.context as { identity?: Identity } | undefined)?.identity;
      if (!identity) return;
      const operation = { query: defaultPrintFn(executionRequest.document), operationName: executionRequest.operationName, variables: executionRequest.variables };
      const extensions: Record<string, unknown> = { ...executionRequest.extensions, [IDENTITY_EXTENSION]: signer.sign(identity, operation) };
      if (getOperationASTFromRequest(executionRequest).operation !== 'query') extensions.requestId = identity.requestId;
      setExecutionRequest({ ...executionRequest, extensions });
    },
  };
}
