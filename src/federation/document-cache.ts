import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type Source } from 'graphql';

/** Distinct operations kept; the router sends a handful of query texts over and over. */
const MAX_DOCUMENTS = 1000;

/**
 * Parsing and validation remembered per query text, as Apollo Server and the gateway do for
 * HTTP: graphql-ws would parse and validate every subscription anew (≈2 ms of a subgraph's CPU
 * before a streamed completion can start). Only documents that parse are kept, at most
 * MAX_DOCUMENTS (the oldest goes first), so odd queries cannot grow it without bound.
 */
export function cachedParseAndValidate(): { parse(source: string | Source): DocumentNode; validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] } {
  const documents = new Map<string, DocumentNode>();
  const validations = new WeakMap<DocumentNode, { schema: GraphQLSchema; errors: readonly GraphQLError[] }>();
  return {
    parse(source) {
      const query = typeof source === 'string' ? source : source.body;
      let document = documents.get(query);
      if (!document) {
        document = parse(query);
        if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
        documents.set(query, document);
      }
      return document;
    },
    validate(schema, document) {
      const known = validations.get(document);
      if (known?.schema === schema) return known.errors;
      const errors = validate(schema, document);
      validations.set(document, { schema, errors });
      return errors;
    },
  };
}
