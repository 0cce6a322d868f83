import type { GatewayConfigBase, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { createGraphQLError } from '@graphql-tools/utils';
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isListType,
  isNonNullType,
  isObjectType,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLNullableType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { accessDenial, grantedPolicies, grantedScopes } from '../src/federation/access';
import type { Identity } from '../src/identity';

type GenericAuthOptions = NonNullable<GatewayConfigBase<{ identity?: Identity }>['genericAuth']>;

/**
 * The access directives of the supergraph (`@authenticated`, `@requiresScopes`, `@policy`),
 * enforced by Hive Gateway's built-in generic auth in granular mode: a forbidden field is
 * removed before planning and answers null with an error naming what it requires; the rest
 * of the answer stays. The decision itself is src/federation/access.ts, shared with the
 * subgraphs' own checks.
 */
export function accessRulesOptions(): GenericAuthOptions {
  return {
    mode: 'protect-granular',
    rejectUnauthenticated: false,
    resolveUserFn: (context) => context.identity ?? null,
    extractScopes: (identity) => grantedScopes(identity as Identity),
    extractPolicies: (identity) => grantedPolicies(identity as Identity),
    validateUser: ({ user, parentType, field, fieldNode, path, executionArgs, typeAuthArgs, typeScopes, typePolicies, fieldAuthArgs, fieldScopes, fieldPolicies }) => {
      const denial = accessDenial((user as Identity | null) ?? undefined, [
        { authenticated: !!typeAuthArgs, scopes: typeScopes, policies: typePolicies },
        { authenticated: !!fieldAuthArgs, scopes: fieldScopes, policies: fieldPolicies },
      ]);
      if (!denial) return undefined;
      // No `path` yet: the library would null it out itself, creating objects along the way even
      // where the data holds null. forbiddenFields() nulls it as GraphQL would, then sets the path.
      const extensions = { code: denial.code, ...(denial.details.requiredScopes ? { requiredScopes: denial.details.requiredScopes } : {}) };
      const error = createGraphQLError(`${denial.message} (${parentType.name}.${field.name})`, { nodes: [fieldNode], extensions });
      denials.set(error, { path: path as Array<string | number>, document: executionArgs.document });
      deniedIn.add(executionArgs.contextValue as object);
      return error;
    },
  } as GenericAuthOptions;
}

/** Where each forbidden field sits: its path (`@` for every item of a list) in the original document. */
const denials = new WeakMap<GraphQLError, { path: Array<string | number>; document: DocumentNode }>();
/** Requests (by context) in which some field was forbidden. */
const deniedIn = new WeakSet<object>();
/** Each request's document as parsed (and cached by the server), before the library rebuilt it. */
const parsedDocuments = new WeakMap<object, DocumentNode>();

/**
 * Completes granular mode where the library stops short: a forbidden field answers null, and as
 * GraphQL's null propagation would, a non-null one nulls its nearest nullable parent (or all of
 * `data`); when every root field was forbidden nothing is left to plan, so the answer is the
 * errors alone.
 */
export function forbiddenFields(): GatewayPlugin {
  return {
    onValidate({ context, params }) {
      parsedDocuments.set(context, params.documentAST);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      useParsedDocument(args);
      const operation = getOperationAST(args.document, args.operationName);
      if (operation && operation.selectionSet.selections.length === 0) setResultAndStopExecution({ data: null });
    },
    onExecute({ args, setResultAndStopExecution }) {
      useParsedDocument(args);
      const operation = getOperationAST(args.document, args.operationName);
      // Every root field was forbidden: the errors (added below) are the whole answer.
      if (operation && operation.selectionSet.selections.length === 0) setResultAndStopExecution({ data: {} });
      return {
        onExecuteDone({ result, setResult }) {
          const single = result as ExecutionResult;
          const rootType = args.schema.getRootType(operation?.operation ?? 'query');
          if (!single.errors?.length || !rootType) return;
          let data = single.data ? { ...single.data } : null;
          const errors = single.errors.map((error) => {
            const denial = denials.get(error);
            if (!denial) return error;
            if (data && nullOut(data, denial.path.filter((key) => key !== '@'), 0, rootType, denial.document)) data = null;
            return createGraphQLError(error.message, { nodes: error.nodes, path: denial.path, extensions: error.extensions });
          });
          setResult({ ...single, data, errors });
        },
      };
    },
  };
}

/**
 * The library rebuilds the document on every request, even when nothing was forbidden; the
 * parsed one is the same object for the same query, so what is cached per document (its printed
 * text, the query plan) keeps being found, for queries and subscriptions alike.
 */
function useParsedDocument(args: { document: DocumentNode; contextValue: unknown }): void {
  const parsed = parsedDocuments.get(args.contextValue as object);
  if (parsed && !deniedIn.has(args.contextValue as object)) args.document = parsed;
}

/** The field a response key selects on `parentType` (aliases resolved through the document). */
function fieldNameOf(document: DocumentNode, parentType: GraphQLObjectType, key: string): string | undefined {
  if (parentType.getFields()[key]) return key;
  let name: string | undefined;
  visit(document, {
    Field(node) {
      if (!name && node.alias?.value === key && parentType.getFields()[node.name.value]) name = node.name.value;
    },
  });
  return name;
}

/**
 * Sets the forbidden field at `path` (response keys; lists are walked item by item) to null
 * inside `container`, never creating the objects on the way, and propagates the null up through
 * non-null fields and list items. Returns whether `container` itself must become null.
 */
function nullOut(container: Record<string, any>, path: Array<string | number>, at: number, parentType: GraphQLObjectType, document: DocumentNode): boolean {
  const key = String(path[at]);
  const fieldName = fieldNameOf(document, parentType, key);
  const field = fieldName ? parentType.getFields()[fieldName] : undefined;
  if (!field) return false;
  const nonNull = isNonNullType(field.type);
  if (at === path.length - 1) {
    container[key] = null;
    return nonNull;
  }
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return false;
  if (nullInside(container[key], getNullableType(field.type), (item) => nullOut(item, path, at + 1, named, document))) {
    container[key] = null;
    return nonNull;
  }
  return false;
}

/** Applies `nullOutItem` to an object, or to each object of a (nested) list; whether `value` must become null. */
function nullInside(value: unknown, type: GraphQLNullableType, nullOutItem: (item: Record<string, any>) => boolean): boolean {
  if (value === null || value === undefined) return false;
  if (!isListType(type) || !Array.isArray(value)) return nullOutItem(value as Record<string, any>);
  const itemType = type.ofType as GraphQLOutputType;
  let mustNull = false;
  value.forEach((item, i) => {
    if (nullInside(item, getNullableType(itemType), nullOutItem)) {
      value[i] = null;
      if (isNonNullType(itemType)) mustNull = true;
    }
  });
  return mustNull;
}
