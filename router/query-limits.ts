import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';

export const MAX_QUERY_DEPTH = 12;
/** Tokens in one document: far above any real operation, low enough that parsing stays cheap. */
export const MAX_QUERY_TOKENS = 3000;

/**
 * Limits on query depth and size, checked before planning, with GraphQL Armor's plugins (what
 * Hive Gateway's `maxDepth` / `maxTokens` options install).
 */
export function queryLimits(): GatewayPlugin[] {
  return [
    maxTokensPlugin({ n: MAX_QUERY_TOKENS, exposeLimits: true }) as GatewayPlugin,
    maxDepthPlugin({ n: MAX_QUERY_DEPTH, flattenFragments: true, ignoreIntrospection: true, exposeLimits: true }) as GatewayPlugin,
  ];
}
