import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { toGraphQLError } from '../errors';
import { accessDenial, type AccessRule } from './access';
import { accessRuleOf, hasAccessRule } from './access-directives';
import type { SubgraphContext } from './context';

type ReferenceResolver = (reference: unknown, context: SubgraphContext, info: unknown) => unknown;

function guarded<T extends (...args: any[]) => unknown>(rules: AccessRule[], contextIndex: number, next: T): T {
  return function (this: unknown, ...args: unknown[]) {
    const denial = accessDenial((args[contextIndex] as SubgraphContext | undefined)?.identity, rules);
    if (denial) throw toGraphQLError(denial);
    return next.apply(this, args);
  } as T;
}

/**
 * Defence in depth: the subgraph checks the access directives of its own schema again, at every
 * entry point the router's check could be bypassed through — root fields, fields that declare a
 * rule of their own (extension fields included) and reference resolvers (`_entities`). Plain
 * fields covered only by their type's rule are read from an object an entry point already let
 * through, so they are not wrapped (that would tax every scalar of every list).
 */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRule = accessRuleOf(schema, type);
    const subgraphExtensions = (type.extensions as { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } }).apollo?.subgraph;
    if (subgraphExtensions?.resolveReference && hasAccessRule(typeRule)) {
      subgraphExtensions.resolveReference = guarded([typeRule], 1, subgraphExtensions.resolveReference);
    }
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue; // _entities, _service: federation's own
      const fieldRule = accessRuleOf(schema, field);
      if (!roots.has(type) && !hasAccessRule(fieldRule)) continue;
      const rules = [typeRule, fieldRule];
      if (field.subscribe) field.subscribe = guarded(rules, 2, field.subscribe);
      else field.resolve = guarded(rules, 2, (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, unknown>);
    }
  }
  return schema;
}
