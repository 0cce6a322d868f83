import { makeExecutableSchema } from '@graphql-tools/schema';
import { coerceInputValue, getNamedType, GraphQLError, type ExecutionResult, type GraphQLInputType, type GraphQLSchema } from 'graphql';
import type { FieldError } from '../../src/errors';
import type { Identity } from '../../src/identity';
import type { RestEndpoint, RestProfile } from './profile';

/** Runs a supergraph operation with the caller's identity (through the gateway pipeline). */
export type OperationRunner = (query: string, variables: Record<string, unknown>, identity: Identity) => Promise<ExecutionResult>;

export interface RestContext {
  identity: Identity;
}

export function compilePath(path: string): RegExp {
  return new RegExp('^' + path.replace(/:[a-zA-Z_]+/g, '[^/]+') + '/?$');
}

/**
 * The profile's contract schema: one root field per endpoint (wire names, documented types),
 * each resolved by running the endpoint's supergraph operation as the caller.
 */
export function contractSchema(profile: RestProfile, run: OperationRunner) {
  const field = (e: RestEndpoint) => `  """${e.summary}"""\n  ${e.name}${e.args ? `(${e.args})` : ''}: ${e.returns}`;
  const queries = profile.endpoints.filter((e) => e.method === 'GET');
  const mutations = profile.endpoints.filter((e) => e.method !== 'GET');
  if (queries.length === 0) throw new Error(`REST profile ${profile.name} needs at least one GET endpoint`);
  const typeDefs = [
    profile.typeDefs,
    `type Query {\n${queries.map(field).join('\n')}\n}`,
    mutations.length ? `type Mutation {\n${mutations.map(field).join('\n')}\n}` : '',
  ].join('\n');
  const resolve = (endpoint: RestEndpoint) => async (_root: unknown, args: Record<string, any>, context: RestContext) => {
    const variables = endpoint.variables ? endpoint.variables(args) : args;
    const result = await run(endpoint.operation, variables, context.identity);
    if (result.errors?.length) {
      const [error] = result.errors;
      throw new GraphQLError(error.message, { extensions: error.extensions });
    }
    const value = (result.data as Record<string, unknown> | null | undefined)?.result;
    if (value === null || value === undefined) throw new GraphQLError('Not found', { extensions: { code: 'NOT_FOUND' } });
    return endpoint.transform ? endpoint.transform(value) : value;
  };
  return makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: Object.fromEntries(queries.map((e) => [e.name, resolve(e)])),
      ...(mutations.length ? { Mutation: Object.fromEntries(mutations.map((e) => [e.name, resolve(e)])) } : {}),
    },
  });
}

/** JSON body values whose type does not fit the contract argument (named by wire name). */
export function bodyTypeErrors(schema: GraphQLSchema, endpoint: RestEndpoint, body: Record<string, unknown>): FieldError[] {
  const root = endpoint.method === 'GET' ? schema.getQueryType() : schema.getMutationType();
  const field = root?.getFields()[endpoint.name];
  const errors: FieldError[] = [];
  for (const arg of field?.args ?? []) {
    const value = body[arg.name];
    if (value === undefined) continue;
    coerceInputValue(value, arg.type, () => {
      if (!errors.some((e) => e.field === arg.name)) errors.push({ field: arg.name, message: `must be ${describeType(arg.type)}` });
    });
  }
  return errors;
}

function describeType(type: GraphQLInputType): string {
  const named = getNamedType(type).name;
  const article = { String: 'a string', ID: 'a string', Int: 'an integer', Float: 'a number', Boolean: 'true or false' }[named];
  return article ?? `a valid ${named}`;
}
