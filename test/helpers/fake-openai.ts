import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the fake answers one model: tokens streamed in order, usage, and scripted trouble. */
export interface FakeModelScript {
  tokens: string[];
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Answer this HTTP status with an OpenAI error body instead. */
  failWithStatus?: number;
  /** Stream this many tokens, then drop the connection (a provider failing mid-stream). */
  dropAfterTokens?: number;
  /** Wait before answering at all (a slow provider). */
  delayMs?: number;
  /** Wait for this promise before each token after the first (lets a test observe deltas in flight). */
  gate?: () => Promise<void>;
  /** After the tokens, ask for these function calls (streamed as tool_call fragments, finish_reason "tool_calls"). */
  toolCalls?: Array<{ id?: string; name: string; arguments: string }>;
  /** Called when the client goes away before a streamed answer is complete (the caller aborted). */
  onAbort?: () => void;
}

/** A script chosen per request (e.g. by what the conversation holds so far), for multi-turn tool calling. */
export type FakeModelResponder = (request: FakeOpenAiRequest) => FakeModelScript;

export interface FakeOpenAiRequest {
  model: string;
  /** `content` is null on an assistant message that only calls tools; tool results carry tool_call_id. */
  messages: Array<{ role: string; content: string; tool_call_id?: string; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> }>;
  stream: boolean;
  temperature?: number;
  max_tokens?: number;
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters: Record<string, unknown> } }>;
  tool_choice?: string;
}

/**
 * An OpenAI-compatible `/v1/chat/completions` on loopback, with and without `stream: true` (SSE
 * chunks in the OpenAI format, usage in the last chunk when `stream_options.include_usage`).
 * Each model name can be scripted; an unscripted model answers "Echo: <last user message>".
 */
export interface FakeOpenAi {
  baseUrl: string;
  requests: FakeOpenAiRequest[];
  script(model: string, script: FakeModelScript | FakeModelResponder): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function defaultScript(body: FakeOpenAiRequest): FakeModelScript {
  const last = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const tokens = ['Echo', ': ', ...last.split(/(\s+)/).filter(Boolean)];
  return { tokens, usage: { prompt_tokens: body.messages.reduce((n, m) => n + (m.content ?? '').length, 0), completion_tokens: tokens.length } };
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const scripts = new Map<string, FakeModelScript | FakeModelResponder>();
  const requests: FakeOpenAiRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    const body = (await readJson(req)) as FakeOpenAiRequest & { stream_options?: { include_usage?: boolean } };
    requests.push(body);
    const scripted = scripts.get(body.model);
    const script = typeof scripted === 'function' ? scripted(body) : (scripted ?? defaultScript(body));
    const usage = script.usage ?? { prompt_tokens: 10, completion_tokens: script.tokens.length };
    if (script.delayMs) await sleep(script.delayMs);
    if (res.destroyed) return;
    if (script.failWithStatus) {
      res.writeHead(script.failWithStatus, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `scripted failure ${script.failWithStatus}`, type: 'server_error' } }));
      return;
    }
    const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
    const created = Math.floor(Date.now() / 1000);
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      ({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra });
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id, object: 'chat.completion', created, model: body.model,
        choices: [{
          index: 0,
          message: {
            role: 'assistant',
            content: script.tokens.join(''),
            ...(script.toolCalls?.length ? { tool_calls: script.toolCalls.map((c, i) => ({ id: c.id ?? `call_${i}`, type: 'function', function: { name: c.name, arguments: c.arguments } })) } : {}),
          },
          finish_reason: script.toolCalls?.length ? 'tool_calls' : 'stop',
        }],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.on('close', () => {
      if (!res.writableFinished && script.dropAfterTokens === undefined) script.onAbort?.();
    });
    const send = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    send(chunk({ role: 'assistant', content: '' }, null));
    for (const [i, token] of script.tokens.entries()) {
      if (script.dropAfterTokens !== undefined && i >= script.dropAfterTokens) {
        res.destroy();
        return;
      }
      if (i > 0 && script.gate) await script.gate();
      send(chunk({ content: token }, null));
    }
    // As OpenAI streams calls: id and name in the first fragment, the arguments split over the next ones.
    for (const [index, call] of (script.toolCalls ?? []).entries()) {
      send(chunk({ tool_calls: [{ index, id: call.id ?? `call_${index}`, type: 'function', function: { name: call.name, arguments: '' } }] }, null));
      const half = Math.ceil(call.arguments.length / 2);
      for (const piece of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
        if (piece) send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
      }
    }
    send(chunk({}, script.toolCalls?.length ? 'tool_calls' : 'stop'));
    if (body.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
    send('[DONE]');
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (model, script) => void scripts.set(model, script),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let shared: FakeOpenAi | undefined;

/** The suite's fake provider (started by the global hook; the platform's OPENAI_BASE_URL points at it). */
export function fakeOpenAi(): FakeOpenAi {
  if (!shared) throw new Error('fake OpenAI server not started');
  return shared;
}

/** Starts the suite's fake provider and returns the platform settings that point at it. */
export async function startSharedFakeOpenAi(): Promise<Record<string, string>> {
  shared = await startFakeOpenAi();
  return {
    OPENAI_BASE_URL: shared.baseUrl,
    OPENAI_API_KEY: 'sk-test-fake',
    // Short enough for the slow-provider test, long enough for everything else.
    AGENT_PROVIDER_TIMEOUT_MS: '3000',
    AGENT_MODEL_PRICES: JSON.stringify({ 'priced-model': { input: 150_000, output: 600_000 } }),
    // Agents call MCP servers started by the tests on loopback (test/helpers/fake-mcp.ts).
    AGENT_MCP_ALLOW_PRIVATE_NETWORKS: 'true',
    AGENT_TOOL_MAX_STEPS: '3',
    AGENT_TOOL_CALL_TIMEOUT_MS: '3000',
  };
}

export async function stopSharedFakeOpenAi(): Promise<void> {
  await shared?.close();
  shared = undefined;
}
