import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationASTFromRequest } from '@graphql-tools/utils';
import { IDENTITY_EXTENSION, IDENTITY_MAX_AGE_SECONDS, signIdentity, type Identity } from '../src/identity';

/** Refresh a cached signature well before subgraphs would call it stale. */
const RESIGN_AFTER_MS = (IDENTITY_MAX_AGE_SECONDS * 1000) / 4;

/**
 * Signs the caller's identity into every subgraph request's `extensions` (HTTP body and
 * graphql-ws subscribe payload alike), so upstream websockets stay shared across users.
 * The request id travels apart from the signed part, and only with mutations and
 * subscriptions: identical queries of one caller then stay identical, so the executor can
 * merge them in flight.
 */
export function identityForwarding(secret: string): GatewayPlugin {
  const cache = new Map<string, { token: string; signedAt: number }>();
  const sign = (identity: Identity): string => {
    const { requestId: _requestId, ...stable } = identity;
    const cacheKey = JSON.stringify(stable);
    const now = Date.now();
    const hit = cache.get(cacheKey);
    if (hit && now - hit.signedAt < RESIGN_AFTER_MS) return hit.token;
    if (cache.size > 10_000) cache.clear();
    const token = signIdentity({ ...stable, requestId: '' }, secret, now);
    cache.set(cacheKey, { token, signedAt: now });
    return token;
  };
  return {
    onSubgraphExecute({ executionRequest, setExecutionRequest }) {
      const identity = (executionRequest.context as { identity?: Identity } | undefined)?.identity;
      if (!identity) return;
      const extensions: Record<string, unknown> = { ...executionRequest.extensions, [IDENTITY_EXTENSION]: sign(identity) };
      if (getOperationASTFromRequest(executionRequest).operation !== 'query') extensions.requestId = identity.requestId;
      setExecutionRequest({ ...executionRequest, extensions });
    },
  };
}
