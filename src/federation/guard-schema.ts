import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { DomainError, toGraphQLError } from '../errors';
import { accessDenial, type AccessRule } from './access';
import { accessRuleOf, hasAccessRule } from './access-directives';
import type { SubgraphContext } from './context';

type ReferenceResolver = (reference: unknown, context: SubgraphContext, info: unknown) => unknown;

/**
 * A subgraph's decision, with its data, on `@policy` rules the router let through because the
 * caller could hold them (e.g. organization roles: organization-access.ts). `target` is what the
 * guarded field is about: its parent object (or the entity reference) and its arguments.
 */
export type PolicyDecider = (
  context: SubgraphContext,
  alternatives: string[][],
  target: { source: unknown; args: Record<string, unknown>; typeName: string },
) => Promise<DomainError | undefined>;

/** Where a guarded function finds the context, the parent and the arguments. */
interface Positions {
  context: number;
  source: number;
  args?: number;
}

function guarded<T extends (...args: any[]) => unknown>(rules: AccessRule[], at: Positions, typeName: string, next: T, decide?: PolicyDecider): T {
  const policies = rules.flatMap((rule) => (rule.policies?.length ? [rule.policies] : []));
  return function (this: unknown, ...args: unknown[]) {
    const context = args[at.context] as SubgraphContext | undefined;
    const denial = accessDenial(context?.identity, rules);
    if (denial) throw toGraphQLError(denial);
    if (policies.length === 0) return next.apply(this, args);
    // Fail closed: a policy this subgraph has no decider for is never granted.
    if (!decide || !context) throw toGraphQLError(new DomainError('FORBIDDEN', `Requires ${policies.flat(2).join(', ')}`));
    const target = { source: args[at.source], args: (at.args === undefined ? {} : args[at.args]) as Record<string, unknown>, typeName };
    return (async () => {
      for (const alternatives of policies) {
        const refused = await decide(context, alternatives, target);
        if (refused) throw toGraphQLError(refused);
      }
      return next.apply(this, args);
    })();
  } as T;
}

/**
 * Defence in depth: the subgraph checks the access directives of its own schema again, at every
 * entry point the router's check could be bypassed through — root fields, fields that declare a
 * rule of their own (extension fields included) and reference resolvers (`_entities`). Plain
 * fields covered only by their type's rule are read from an object an entry point already let
 * through, so they are not wrapped (that would tax every scalar of every list).
 */
export function guardSchema(schema: GraphQLSchema, decidePolicies?: PolicyDecider): GraphQLSchema {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRule = accessRuleOf(schema, type);
    const subgraphExtensions = (type.extensions as { apollo?: { subgraph?: { resolveReference?: ReferenceResolver } } }).apollo?.subgraph;
    if (subgraphExtensions?.resolveReference && hasAccessRule(typeRule)) {
      const guardedReference = guarded([typeRule], { context: 1, source: 0 }, type.name, subgraphExtensions.resolveReference, decidePolicies);
      // A refusal nulls that one entity, not the whole `_entities` list (a synchronous throw would).
      subgraphExtensions.resolveReference = async (...args) => guardedReference(...args);
    }
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue; // _entities, _service: federation's own
      const fieldRule = accessRuleOf(schema, field);
      if (!roots.has(type) && !hasAccessRule(fieldRule)) continue;
      const rules = [typeRule, fieldRule];
      const at = { context: 2, source: 0, args: 1 };
      if (field.subscribe) field.subscribe = guarded(rules, at, type.name, field.subscribe, decidePolicies);
      else field.resolve = guarded(rules, at, type.name, (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, unknown>, decidePolicies);
    }
  }
  return schema;
}
