import { randomUUID } from 'node:crypto';
import { validate } from 'class-validator';
import type { DataSource } from 'typeorm';
import type { AgentSettings } from '../../../src/config';
import { DomainError, validationError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import { fieldErrorsOf } from '../../../src/federation/input-validation';
import { AgentsErrors } from '../agents.errors';
import { AgentExecutionCompleted } from '../execution/execution.events';
import { ChatMessageInput } from '../execution/execution.types';
import { organizationToSpend, type UsageGate } from '../execution/usage-gate';
import type { Identity } from '../../../src/identity';
import { costMicroUsd, ModelProviderError, type ChatResult, type ModelProvider } from '../provider/model-provider';
import { AiCompletionInput, type AiCompletion, type AiCompletionMessage } from './completion.types';
import { deltaStream } from './delta-stream';

interface Spender {
  tenantId: string;
  userId: string;
  organizationId: string | null;
}

export interface CompletionCaller {
  tenantId: string;
  userId: string;
  /** Whose usage it is: absent, the user's default organization (none: metered to the user alone). */
  organizationId?: string | null;
  /** The caller's identity, to ask tenancy for their default organization. */
  identity?: Identity;
}

/**
 * `/v1/ai/completions`: a plain model call (no agent, no conversation) in the OpenAI format,
 * answered whole or streamed chunk by chunk. Usage gate before, `agent.execution.completed`
 * (agentId null) after, so billing meters it like a chat.
 */
export class CompletionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly provider: ModelProvider | undefined,
    private readonly usageGate: UsageGate,
    private readonly settings: Pick<AgentSettings, 'modelPrices'>,
  ) {}

  /** The whole answer (`chat.completion`); a provider failure is a 502 naming it. */
  async complete(caller: CompletionCaller, input: AiCompletionInput): Promise<AiCompletion> {
    const { provider, spender } = await this.admit(caller, input.model);
    const id = randomUUID();
    let result: ChatResult;
    try {
      result = await provider.chat({ model: input.model, messages: messagesOf(input), temperature: input.temperature, maxTokens: input.maxTokens });
    } catch (error) {
      if (error instanceof ModelProviderError) throw new DomainError(AgentsErrors.PROVIDER_FAILED, error.message);
      throw error;
    }
    await this.meter(spender, id, input.model, result);
    const message: AiCompletionMessage = { role: 'assistant', content: result.output };
    return { ...head(id, input.model, 'chat.completion'), choices: [{ index: 0, message, delta: null, finishReason: finishReasonOf(input, result) }], usage: usageOf(result), error: null };
  }

  /**
   * Checks everything that can refuse the call (input, provider, usage), then returns the live
   * chunks (`chat.completion.chunk`): a role chunk, one per token delta as the provider sends
   * it, and a last one with `finish_reason` and usage, or with `error` when the provider fails
   * midway (never a thrown error once streaming). Stopping the iteration aborts the provider call.
   */
  async open(caller: CompletionCaller, raw: unknown): Promise<AsyncIterableIterator<AiCompletion>> {
    // The usage check needs the caller alone: it runs while the input is validated, and its answer
    // counts only for valid input (a validation error comes first, as it would in sequence).
    const model = (raw as Partial<AiCompletionInput> | null)?.model;
    const admission = this.admit(caller, typeof model === 'string' ? model : '');
    admission.catch(() => undefined);
    const input = await validated(raw);
    const { provider, spender } = await admission;
    const id = randomUUID();
    const chunk = (delta: AiCompletionMessage, finishReason: string | null, extra: Partial<AiCompletion> = {}): AiCompletion => ({
      ...head(id, input.model, 'chat.completion.chunk'),
      choices: [{ index: 0, message: null, delta, finishReason }],
      usage: null,
      error: null,
      ...extra,
    });
    return deltaStream(
      (onDelta, onAccepted, signal) => provider.chat({ model: input.model, messages: messagesOf(input), temperature: input.temperature, maxTokens: input.maxTokens, onDelta, onAccepted, signal }),
      {
        first: () => chunk({ role: 'assistant', content: '' }, null),
        delta: (text) => chunk({ role: null, content: text }, null),
        done: async (result) => {
          await this.meter(spender, id, input.model, result);
          return chunk({ role: null, content: null }, finishReasonOf(input, result), { usage: usageOf(result) });
        },
        failed: (error) => {
          if (!(error instanceof ModelProviderError)) throw error;
          return chunk({ role: null, content: null }, null, { error: { message: error.message, type: 'provider_error', code: null, status: null, fields: null } });
        },
      },
    );
  }

  /**
   * A refusal (validation, no provider, usage exhausted) as the stream's only item: the gateway
   * masks errors of subscription events, so the code, status and fields travel as data.
   */
  refusal(error: DomainError): AiCompletion {
    return {
      ...head(randomUUID(), '', 'chat.completion.chunk'),
      choices: [],
      usage: null,
      error: { message: error.message, type: 'refused', code: error.code, status: error.status, fields: error.details.fields ?? null },
    };
  }

  /** A provider, whose usage it is, and the usage gate's yes (402 when the organization's usage is exhausted). */
  private async admit(caller: CompletionCaller, model: string): Promise<{ provider: ModelProvider; spender: Spender }> {
    if (!this.provider) throw new DomainError(AgentsErrors.PROVIDER_NOT_CONFIGURED);
    // Usually known at once: then nothing is awaited, and the gate's request leaves before `open`
    // goes on to validate the input.
    const organization = organizationToSpend(this.usageGate, caller.organizationId, caller.identity);
    const spender = { tenantId: caller.tenantId, userId: caller.userId, organizationId: organization instanceof Promise ? await organization : organization };
    await this.usageGate.assertCanSpend({ ...spender, ...(caller.identity && { identity: caller.identity }), agentId: null, model });
    return { provider: this.provider, spender };
  }

  /** Billing meters the event (messages, tokens, cost); it commits on its own, after the answer exists. */
  private async meter(caller: Spender, id: string, model: string, result: ChatResult): Promise<void> {
    const cost = costMicroUsd(this.settings.modelPrices, model, result.inputTokens, result.outputTokens);
    await this.dataSource.transaction((manager) =>
      emit(manager, AgentExecutionCompleted, caller.tenantId, {
        executionId: id,
        agentId: null,
        userId: caller.userId,
        organizationId: caller.organizationId,
        conversationId: null,
        model,
        inputTokens: result.inputTokens,
        outputTokens: result.outputTokens,
        costMicroUsd: cost,
      }),
    );
  }
}

/**
 * Subscription arguments arrive as plain objects (type-graphql validates resolver arguments, not
 * a custom `subscribe`): the same class-validator rules as the mutation, run here.
 */
async function validated(raw: unknown): Promise<AiCompletionInput> {
  const value = (raw ?? {}) as Partial<AiCompletionInput>;
  const input = Object.assign(new AiCompletionInput(), value, {
    messages: Array.isArray(value.messages) ? value.messages.map((m) => Object.assign(new ChatMessageInput(), m)) : value.messages,
  });
  const errors = await validate(input, { forbidUnknownValues: false });
  if (errors.length) throw validationError(fieldErrorsOf(errors));
  return input;
}

function messagesOf(input: AiCompletionInput) {
  return input.messages.map(({ role, content }) => ({ role, content }));
}

function head(id: string, model: string, object: string) {
  return { id: `chatcmpl-${id}`, object, created: Math.floor(Date.now() / 1000), model };
}

function usageOf(result: ChatResult) {
  return { promptTokens: result.inputTokens, completionTokens: result.outputTokens, totalTokens: result.inputTokens + result.outputTokens };
}

/** `length` when the answer used the whole `max_tokens` budget, as OpenAI reports it; else `stop`. */
function finishReasonOf(input: AiCompletionInput, result: ChatResult): string {
  return input.maxTokens != null && result.outputTokens >= input.maxTokens ? 'length' : 'stop';
}
