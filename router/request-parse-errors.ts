import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

/**
 * Request-parse errors carry the message only. The server library puts the JSON parser's own
 * error into `extensions.originalError`, and that message quotes the raw body back to the client
 * ("… "{oops" is not valid JSON"): whatever the client sent, tokens included, would be echoed
 * into responses and the logs of proxies in between.
 */
export function messageOnlyParseErrors(): GatewayPlugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          throw withoutOriginalError(error);
        }
      });
    },
  };
}

function withoutOriginalError(error: unknown): unknown {
  if (!(error instanceof GraphQLError) || !('originalError' in error.extensions)) return error;
  const { originalError: _echo, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}
