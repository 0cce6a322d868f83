import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import type { EventPubSub } from '../events/pubsub';
import { guardSchema, type PolicyDecider } from './guard-schema';
import { validateInputs } from './input-validation';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@authenticated", "@requiresScopes", "@policy"])\n';

export type ReferenceResolvers = Record<string, { __resolveReference: (reference: any, context: any) => unknown }>;

export interface SubgraphSchemaOptions {
  resolvers: NonEmptyArray<Function>;
  /** Types only referenced (entity stubs of other subgraphs). */
  orphanedTypes?: Function[];
  referenceResolvers?: ReferenceResolvers;
  pubSub?: EventPubSub;
  /** Decides the `@policy` rules of this subgraph's fields with its data (e.g. `organizationPolicies`). */
  policies?: PolicyDecider;
}

/**
 * type-graphql → federation subgraph schema: build with skipCheck, print with directives,
 * add the federation @link, then buildSubgraphSchema with the resolver map and the
 * reference resolvers (passed in up front; added later they are lost). The access directives
 * on the schema are then enforced at the subgraph's entry points too (guard-schema.ts).
 */
export async function buildFederatedSchema(options: SubgraphSchemaOptions): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    pubSub: options.pubSub as any,
    skipCheck: true,
    // class-validator decorators on input classes (input-validation.ts); inputs without any are fine.
    validateFn: validateInputs,
  });
  const typeDefs = parse(FEDERATION_LINK + printSchemaWithDirectives(typeGraphqlSchema));
  const resolvers: Record<string, any> = createResolversMap(typeGraphqlSchema);
  for (const [typeName, reference] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  return guardSchema(buildSubgraphSchema({ typeDefs, resolvers }), options.policies);
}

export function printFederatedSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema).trim() + '\n';
}
