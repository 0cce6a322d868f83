import type http from 'node:http';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { describeGraphQLError, ERROR_CATALOG, fieldsFromVariableError, type FieldError } from '../../src/errors';
import { readBody } from '../../src/http/body';
import type { Identity } from '../../src/identity';
import type { Logger } from '../../src/logger';
import type { RateLimiter } from '../rate-limits/rate-limiter';
import type { RestFaces, RestMatch } from './dispatcher';
import { argumentProblems, inWireNames, withinRateLimit } from './sofa-face';

/** Runs a supergraph operation as the caller; a subscription answers an async iterable of results. */
export type StreamingRunner = (query: string, variables: Record<string, unknown>, identity: Identity) => Promise<ExecutionResult | AsyncIterable<ExecutionResult>>;

/** The agents subgraph's streamed completion, selected in the OpenAI chunk's wire names. */
export const COMPLETION_STREAM_QUERY = /* GraphQL */ `
  subscription aiCompletionStream($input: AiCompletionInput!) {
    aiCompletionStream(input: $input) {
      id object created model
      choices { index delta { role content } finish_reason: finishReason }
      usage { prompt_tokens: promptTokens completion_tokens: completionTokens total_tokens: totalTokens }
      error { message type code status fields { field message } }
    }
  }`;

type EndpointMatch = Extract<RestMatch, { kind: 'endpoint' }>;

interface Chunk {
  choices: Array<{ index: number; delta: Record<string, unknown> | null; finish_reason: string | null }>;
  usage: unknown;
  error: { message: string; type: string; code: string | null; status: number | null; fields: FieldError[] | null } | null;
  [key: string]: unknown;
}

/**
 * `POST /v1/ai/completions` with `"stream": true`: sofa answers one body per request, so this
 * route answers server-sent events itself (OpenAI `chat.completion.chunk` items, then
 * `data: [DONE]`), each written as soon as the agents subgraph yields it over the gateway's
 * subscription. It runs after the router's edge authentication and charges the same tier limit
 * as every REST call; refusals (422, 402, 503) come before the stream, in the face's error body.
 * A provider failing midway ends the stream with an `error` event; a client that leaves stops it.
 * Without `stream: true` the request goes on to the face's `createAiCompletion` endpoint.
 */
export function completionStreamRoute(options: { run: StreamingRunner; supergraph: GraphQLSchema; rateLimiter?: RateLimiter; log: Logger }) {
  const { run, supergraph, rateLimiter, log } = options;
  return {
    handles: (match: RestMatch): match is EndpointMatch => match.kind === 'endpoint' && match.face.face.name === 'v1' && match.endpoint.name === 'createAiCompletion',

    async serve(req: http.IncomingMessage, res: http.ServerResponse, match: EndpointMatch, identity: Identity, rest: RestFaces): Promise<void> {
      const { face, endpoint } = match;
      const parsed = await readBody(req);
      const body = parsed.ok && isObject(parsed.value) ? parsed.value : undefined;
      if (body && body.stream != null && typeof body.stream !== 'boolean') {
        return face.sendError(res, 'VALIDATION_FAILED', undefined, { fields: [{ field: 'stream', message: 'must be true or false' }] });
      }
      if (body?.stream !== true) return rest.handle(req, res, match, identity, parsed);

      if (!(await withinRateLimit(rateLimiter, identity, res, face.sendError.bind(face)))) return;
      const problems = argumentProblems(supergraph, endpoint, body, new URLSearchParams());
      if (problems.length) return face.sendError(res, 'VALIDATION_FAILED', undefined, { fields: problems });
      const input = { model: body.model, messages: body.messages, maxTokens: body.max_tokens ?? null, temperature: body.temperature ?? null };

      const refuse = (errors: readonly { message: string; extensions?: Record<string, unknown> }[] | undefined) => {
        const error = inWireNames(errors?.[0] ?? { message: 'No completion' }, endpoint);
        let { code, status } = describeGraphQLError(error);
        let fields = error.extensions?.fields as FieldError[] | undefined;
        if (!fields && /^Variable "\$/.test(error.message)) [code, status, fields] = ['VALIDATION_FAILED', 422, fieldsFromVariableError(error.message)];
        if (code === 'INTERNAL') {
          log.error({ errors, requestId: identity.requestId }, 'completion stream refused');
          return face.sendError(res, 'INTERNAL', undefined, { requestId: identity.requestId });
        }
        face.sendError(res, code, error.message, { fields, status, retryAfter: error.extensions?.retryAfter as number | undefined });
      };

      const result = await run(COMPLETION_STREAM_QUERY, { input }, identity);
      if (!isAsyncIterable(result)) return refuse(result.errors);
      const iterator = result[Symbol.asyncIterator]();
      let step = await iterator.next();
      if (step.done || step.value.errors?.length) {
        await iterator.return?.();
        return refuse(step.done ? undefined : step.value.errors);
      }
      const refusal = (step.value.data as { aiCompletionStream?: Chunk } | null | undefined)?.aiCompletionStream?.error;
      if (refusal?.type === 'refused') {
        await iterator.return?.();
        return refuse([{ message: refusal.message, extensions: { code: refusal.code, status: refusal.status, ...(refusal.fields ? { fields: refusal.fields } : {}) } }]);
      }

      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      let gone = false;
      res.on('close', () => {
        if (res.writableFinished) return;
        gone = true; // the client left: stop the subscription, hence the provider call
        void iterator.return?.();
      });
      const failWith = (message: string) => res.write(`event: error\ndata: ${JSON.stringify({ error: { message, type: 'provider_error', code: null } })}\n\n`);
      try {
        for (; !step.done && !gone; step = await iterator.next()) {
          const chunk = (step.value.data as { aiCompletionStream?: Chunk } | null | undefined)?.aiCompletionStream;
          if (step.value.errors?.length || !chunk) {
            log.error({ errors: step.value.errors, requestId: identity.requestId }, 'completion stream failed');
            failWith(ERROR_CATALOG.INTERNAL.message);
            return;
          }
          if (chunk.error) return void failWith(chunk.error.message);
          res.write(`data: ${JSON.stringify(wireChunk(chunk))}\n\n`);
          if (chunk.choices[0]?.finish_reason) return void res.write('data: [DONE]\n\n');
        }
        if (!gone) failWith('The completion stream ended unexpectedly');
      } catch (error) {
        log.error({ err: error, requestId: identity.requestId }, 'completion stream failed');
        failWith(ERROR_CATALOG.INTERNAL.message);
      } finally {
        res.end();
        if (!step.done) void iterator.return?.();
      }
    },
  };
}

/** As OpenAI sends chunks: a delta holds only what it carries; usage only on the last one. */
function wireChunk({ error: _error, usage, choices, ...rest }: Chunk): Record<string, unknown> {
  const delta = (d: Record<string, unknown> | null) => Object.fromEntries(Object.entries(d ?? {}).filter(([, v]) => v !== null));
  return { ...rest, choices: choices.map((c) => ({ ...c, delta: delta(c.delta) })), ...(usage ? { usage } : {}) };
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
