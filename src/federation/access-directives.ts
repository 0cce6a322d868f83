import { getDirectiveExtensions } from '@graphql-tools/utils';
import type { GraphQLField, GraphQLNamedType, GraphQLSchema } from 'graphql';
import type { AccessRule } from './access';

/** The access directives the schema may carry (federation names). */
export const ACCESS_DIRECTIVES = ['authenticated', 'requiresScopes', 'policy'] as const;

type Annotated = GraphQLNamedType | GraphQLField<unknown, unknown>;

/** The access rule one type or field declares, read from its directives (SDL or extensions). */
export function accessRuleOf(schema: GraphQLSchema, element: Annotated): AccessRule {
  const directives = getDirectiveExtensions<{
    authenticated: Record<string, never>;
    requiresScopes: { scopes: string[][] };
    policy: { policies: string[][] };
  }>(element, schema);
  return {
    authenticated: !!directives.authenticated?.length,
    scopes: directives.requiresScopes?.[0]?.scopes,
    policies: directives.policy?.[0]?.policies,
  };
}

export function hasAccessRule(rule: AccessRule): boolean {
  return !!(rule.authenticated || rule.scopes?.length || rule.policies?.length);
}
