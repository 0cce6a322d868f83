import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, ERROR_CATALOG, httpStatusOf, isKernelErrorCode, toGraphQLError } from '../errors';
import type { Logger } from '../logger';
import { asValidationFailure } from './input-validation';

/**
 * Shapes every error a subgraph returns: domain errors keep their code, status and details;
 * GraphQL request errors keep their message; anything unexpected is logged and masked.
 */
export function formatSubgraphError(log: Logger) {
  const format = formatOne(log);
  // Apollo answers a bare INTERNAL_SERVER_ERROR, logging nothing, when formatting throws: log it here.
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    try {
      return format(formatted, error);
    } catch (formatting) {
      log.error({ err: formatting, original: String(error) }, 'formatting an error failed');
      return { message: ERROR_CATALOG.INTERNAL.message, path: formatted.path, extensions: { code: 'INTERNAL', status: 500 } };
    }
  };
}

function formatOne(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const unwrapped = unwrapResolverError(error);
    const original = asValidationFailure(unwrapped) ?? unwrapped;
    if (original instanceof DomainError) {
      const graphQLError = toGraphQLError(original);
      return { message: graphQLError.message, path: formatted.path, locations: formatted.locations, extensions: graphQLError.extensions };
    }
    const code = formatted.extensions?.code;
    if (isKernelErrorCode(code)) {
      return { ...formatted, extensions: { ...formatted.extensions, status: httpStatusOf(code) } };
    }
    // Request errors graphql-js and Apollo raise themselves (parse, validation, bad input) carry a
    // code and are safe to show; a thrown non-GraphQL error is a bug.
    const thrownByResolver = original instanceof Error && !(original instanceof GraphQLError);
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' && !thrownByResolver) {
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log.error({ err: original, path: formatted.path }, 'unexpected resolver error');
    return { message: ERROR_CATALOG.INTERNAL.message, path: formatted.path, extensions: { code: 'INTERNAL', status: 500 } };
  };
}
