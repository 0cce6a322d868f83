import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, Kind, type ASTNode, type ValidationContext } from 'graphql';

export const MAX_QUERY_DEPTH = 12;
export const MAX_QUERY_FIELDS = 1000;

/** Rejects documents nested deeper than MAX_QUERY_DEPTH or selecting more than MAX_QUERY_FIELDS fields. */
function limitRule(context: ValidationContext) {
  let fields = 0;
  const depthOf = (node: ASTNode, depth: number): number => {
    if (!('selectionSet' in node) || !node.selectionSet) return depth;
    let max = depth;
    for (const selection of node.selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields += 1;
      const next = selection.kind === Kind.FIELD ? depth + 1 : depth;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = context.getFragment(selection.name.value);
        if (fragment) max = Math.max(max, depthOf(fragment, next));
      } else {
        max = Math.max(max, depthOf(selection, next));
      }
      if (max > MAX_QUERY_DEPTH) break;
    }
    return max;
  };
  return {
    OperationDefinition(node: ASTNode) {
      fields = 0;
      const depth = depthOf(node, 0);
      if (depth > MAX_QUERY_DEPTH) {
        context.reportError(new GraphQLError(`Query is nested too deeply (max depth ${MAX_QUERY_DEPTH})`, { extensions: { code: 'BAD_REQUEST' } }));
      } else if (fields > MAX_QUERY_FIELDS) {
        context.reportError(new GraphQLError(`Query selects too many fields (max ${MAX_QUERY_FIELDS})`, { extensions: { code: 'BAD_REQUEST' } }));
      }
    },
  };
}

/** Limits on query depth and size, checked before planning. */
export function queryLimits(): GatewayPlugin[] {
  return [
    {
      onValidate({ addValidationRule }) {
        addValidationRule(limitRule);
      },
    },
  ];
}
