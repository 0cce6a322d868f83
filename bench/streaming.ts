import { fork } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { TS_NODE_ARGS } from '../scripts/sdl';
import type { Ratio } from './report';

/** The fake provider streams this many tokens, one every TOKEN_INTERVAL_MS (≈ 450 tokens/s: a fast real model). */
export const STREAM_TOKENS = 200;
export const TOKEN_INTERVAL_MS = 2;
export const STREAM_MODEL = 'bench-stream';
const WARMUP_RUNS = 3;
const MESSAGES = [{ role: 'user', content: 'Count to two hundred.' }];

export interface StreamTiming {
  /** From sending the request to the first token's arrival. */
  firstTokenMs: number;
  /**
   * Tokens per second from sending the request to the last token (the whole stream): a rate
   * measured after the first token would flatter a path that holds the first token back and
   * then delivers the queued ones at once.
   */
  tokensPerSecond: number;
}

export interface StreamingResult {
  runs: number;
  /** Medians per path. */
  direct: StreamTiming;
  restSse: StreamTiming;
  graphqlWs: StreamTiming;
}

export interface StreamingProvider {
  baseUrl: string;
  close(): Promise<void>;
}

/** The fake OpenAI-compatible provider of the tests, scripted with a steady stream of tokens, in its own process (streaming-provider.ts). */
export async function startStreamingProvider(): Promise<StreamingProvider> {
  const child = fork(path.join(__dirname, 'streaming-provider.ts'), { execArgv: TS_NODE_ARGS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { baseUrl: string }) => resolve(message.baseUrl));
    child.once('exit', (code) => reject(new Error(`the bench's model provider exited (${code})`)));
  });
  return {
    baseUrl,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** Times one stream of token contents: when the first arrived, and the rate after it. */
async function timeStream(open: () => AsyncIterable<string>): Promise<StreamTiming> {
  const started = performance.now();
  let first = 0;
  let last = 0;
  let count = 0;
  for await (const content of open()) {
    if (!content) continue;
    last = performance.now();
    if (count === 0) first = last;
    count += 1;
  }
  if (count !== STREAM_TOKENS) throw new Error(`stream delivered ${count} of ${STREAM_TOKENS} tokens`);
  return { firstTokenMs: first - started, tokensPerSecond: (count * 1000) / (last - started) };
}

/** The `delta.content` of each chunk of an OpenAI server-sent event stream. */
async function* sseContents(response: Response): AsyncIterable<string> {
  if (!response.ok || !response.body) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(part, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(0, end).split('\n').find((line) => line.startsWith('data: '))?.slice(6);
      buffer = buffer.slice(end + 2);
      if (!data || data === '[DONE]') continue;
      const chunk = JSON.parse(data);
      if (chunk.error) throw new Error(`stream failed: ${chunk.error.message}`);
      yield chunk.choices?.[0]?.delta?.content ?? '';
    }
  }
}

async function* wsContents(client: Client): AsyncIterable<string> {
  const query = 'subscription($input: AiCompletionInput!) { aiCompletionStream(input: $input) { choices { delta { content } } error { message } } }';
  for await (const result of client.iterate<any>({ query, variables: { input: { model: STREAM_MODEL, messages: MESSAGES } } })) {
    if (result.errors || result.data?.aiCompletionStream?.error) throw new Error(`graphql-ws stream failed: ${JSON.stringify(result)}`);
    yield result.data.aiCompletionStream.choices[0]?.delta?.content ?? '';
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const medianTiming = (timings: StreamTiming[]): StreamTiming => ({ firstTokenMs: median(timings.map((t) => t.firstTokenMs)), tokensPerSecond: median(timings.map((t) => t.tokensPerSecond)) });

/**
 * One completion at a time, the three paths in turn (so noise spreads over all of them): the
 * provider directly, `POST /v1/ai/completions` with `stream: true` through the router (SSE), and
 * the `aiCompletionStream` subscription through the router over graphql-ws (one open socket, as
 * a client keeps it).
 */
export async function measureStreaming(options: { provider: StreamingProvider; routerUrl: string; endUserHeaders: Record<string, string>; runs: number }): Promise<StreamingResult> {
  const { provider, routerUrl, endUserHeaders, runs } = options;
  const direct = () =>
    timeStream(async function* () {
      const body = JSON.stringify({ model: STREAM_MODEL, messages: MESSAGES, stream: true, stream_options: { include_usage: true } });
      yield* sseContents(await fetch(`${provider.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    });
  const restSse = () =>
    timeStream(async function* () {
      const body = JSON.stringify({ model: STREAM_MODEL, messages: MESSAGES, stream: true });
      yield* sseContents(await fetch(`${routerUrl}/v1/ai/completions`, { method: 'POST', headers: { ...endUserHeaders, 'content-type': 'application/json' }, body }));
    });
  const client = createClient({
    url: routerUrl.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { apiKey: endUserHeaders['x-api-key'], authorization: endUserHeaders.authorization },
    retryAttempts: 0,
    lazy: false,
  });
  const graphqlWs = () => timeStream(() => wsContents(client));
  try {
    const timings = { direct: [] as StreamTiming[], restSse: [] as StreamTiming[], graphqlWs: [] as StreamTiming[] };
    for (let run = 0; run < WARMUP_RUNS + runs; run++) {
      const round = { direct: await direct(), restSse: await restSse(), graphqlWs: await graphqlWs() };
      if (run < WARMUP_RUNS) continue;
      for (const path of ['direct', 'restSse', 'graphqlWs'] as const) timings[path].push(round[path]);
    }
    return { runs, direct: medianTiming(timings.direct), restSse: medianTiming(timings.restSse), graphqlWs: medianTiming(timings.graphqlWs) };
  } finally {
    await client.dispose();
  }
}

/** The targets: first token within 10 ms of the provider's own, throughput ≥ 0.9 × the provider's. */
export function streamingRatios(result: StreamingResult): Ratio[] {
  const paths = [
    ['REST SSE', result.restSse],
    ['graphql-ws', result.graphqlWs],
  ] as const;
  return paths.flatMap(([name, timing]) => {
    const lag = timing.firstTokenMs - result.direct.firstTokenMs;
    const throughput = timing.tokensPerSecond / result.direct.tokensPerSecond;
    return [
      {
        name: `streaming, ${name} via router: first token later than the provider's own`,
        measured: `${lag.toFixed(1)} ms (${timing.firstTokenMs.toFixed(1)} vs ${result.direct.firstTokenMs.toFixed(1)})`,
        target: '≤ 10 ms',
        met: lag <= 10,
      },
      {
        name: `streaming, ${name} via router / provider directly, tokens per second`,
        measured: `${throughput.toFixed(2)} (${Math.round(timing.tokensPerSecond)} vs ${Math.round(result.direct.tokensPerSecond)})`,
        target: '≥ 0.9',
        met: throughput >= 0.9,
      },
    ];
  });
}
