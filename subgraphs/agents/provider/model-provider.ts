import nodeFetch from 'node-fetch';
import OpenAI, { type ClientOptions } from 'openai';
import type { AgentSettings } from '../../../src/config';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A function call the model asked for (arguments: the model's JSON text, unparsed). */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: string;
}

/** A tool offered to the model, in the OpenAI function format. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

/** The prompt: text messages, and within a tool-calling loop the model's calls and their results. */
export type PromptMessage =
  | ChatMessage
  | { role: 'assistant'; content: string | null; toolCalls: ToolCallRequest[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ChatRequest {
  model: string;
  messages: PromptMessage[];
  tools?: ToolDefinition[];
  /** 'none': tools stay described but the model must answer in text (the loop's last step). */
  toolChoice?: 'auto' | 'none';
  temperature?: number | null;
  maxTokens?: number | null;
  /** Called with each token delta, in order, as the provider streams it. */
  onDelta?: (text: string) => Promise<void> | void;
  /** Called once the provider has accepted the call (its answer started), before any delta. */
  onAccepted?: () => void;
  /** Aborts the call (the caller went away): the provider stops being read. */
  signal?: AbortSignal;
}

export interface ChatResult {
  output: string;
  /** The functions the model asked to call, in order; empty when it answered. */
  toolCalls: ToolCallRequest[];
  inputTokens: number;
  outputTokens: number;
}

/** The provider failed, answered nonsense or took too long: the execution is FAILED with this message. */
export class ModelProviderError extends Error {
  override name = 'ModelProviderError';
}

export interface ModelProvider {
  chat(request: ChatRequest): Promise<ChatResult>;
}

/**
 * The client's transport (the `fetch` openai lets a caller choose): node-fetch, over node:http's
 * kept-alive sockets, whose body the client reads as a Node stream. Node's own fetch (undici and
 * WHATWG streams) took ≈0.4 ms more to each streamed answer's first token (same client, same
 * local server, measured alternately). node-fetch's types predate the fetch in lib.dom.
 */
const fetchOverNodeHttp = nodeFetch as unknown as NonNullable<ClientOptions['fetch']>;

/**
 * An OpenAI-compatible chat-completions client (OpenAI, vLLM, Ollama…) through the official
 * `openai` package, always streamed so deltas can be relayed; usage comes from the provider's
 * final chunk (`stream_options.include_usage`). One deadline covers the whole call, body included.
 */
export class OpenAiCompatibleProvider implements ModelProvider {
  private readonly client: OpenAI;

  constructor(private readonly settings: Pick<AgentSettings, 'openaiBaseUrl' | 'openaiApiKey' | 'providerTimeoutMs'>) {
    // Local servers (Ollama, vLLM) need no key, but the client insists on one.
    this.client = new OpenAI({ baseURL: settings.openaiBaseUrl, apiKey: settings.openaiApiKey ?? 'none', maxRetries: 0, timeout: settings.providerTimeoutMs, fetch: fetchOverNodeHttp });
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.settings.providerTimeoutMs);
    const cancel = () => deadline.abort();
    request.signal?.addEventListener('abort', cancel, { once: true });
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages.map(toOpenAi),
          ...(request.tools?.length
            ? {
                tools: request.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })),
                tool_choice: request.toolChoice ?? 'auto',
              }
            : {}),
          stream: true,
          stream_options: { include_usage: true },
          ...(request.temperature != null ? { temperature: request.temperature } : {}),
          ...(request.maxTokens != null ? { max_tokens: request.maxTokens } : {}),
        },
        { signal: deadline.signal },
      );
      request.onAccepted?.();
      let output = '';
      let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
      // Tool calls stream as fragments keyed by index: the id and name first, the arguments in pieces.
      const calls: ToolCallRequest[] = [];
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta?.content) {
          output += delta.content;
          await request.onDelta?.(delta.content);
        }
        for (const part of delta?.tool_calls ?? []) {
          const call = (calls[part.index] ??= { id: '', name: '', arguments: '' });
          if (part.id) call.id = part.id;
          if (part.function?.name) call.name += part.function.name;
          if (part.function?.arguments) call.arguments += part.function.arguments;
        }
        if (chunk.usage) usage = chunk.usage;
      }
      const toolCalls = calls.filter(Boolean).map((call, i) => ({ ...call, id: call.id || `call_${i}` }));
      return { output, toolCalls, inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 };
    } catch (error) {
      if (request.signal?.aborted) throw new ModelProviderError('The request was cancelled');
      if (deadline.signal.aborted) throw new ModelProviderError(`The model provider did not answer within ${this.settings.providerTimeoutMs} ms`);
      if (error instanceof OpenAI.APIError) {
        throw new ModelProviderError(`The model provider failed${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`);
      }
      throw new ModelProviderError(`The model provider failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', cancel);
    }
  }
}

function toOpenAi(message: PromptMessage): OpenAI.Chat.Completions.ChatCompletionMessageParam {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if ('toolCalls' in message) {
    return {
      role: 'assistant',
      content: message.content,
      tool_calls: message.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
    };
  }
  return { role: message.role, content: message.content };
}

/** The configured provider, or undefined when neither OPENAI_BASE_URL nor OPENAI_API_KEY is set. */
export function createModelProvider(settings: AgentSettings): ModelProvider | undefined {
  if (!settings.openaiBaseUrl && !settings.openaiApiKey) return undefined;
  return new OpenAiCompatibleProvider(settings);
}

/** Cost in integer micro-dollars from the price table (per million tokens), rounded up; unknown models cost 0. */
export function costMicroUsd(prices: AgentSettings['modelPrices'], model: string, inputTokens: number, outputTokens: number): number {
  const price = prices[model];
  if (!price) return 0;
  return Math.ceil((inputTokens * price.input + outputTokens * price.output) / 1_000_000);
}
