import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AgentSettings } from '../../../src/config';
import { DomainError, validationError } from '../../../src/errors';
import { emit, publishDirect } from '../../../src/events/outbox';
import { enforceRateLimit } from '../../../src/rate-limit';
import { AgentsErrors } from '../agents.errors';
import { RagProvider, type Agent } from '../agent/agent.entity';
import type { AgentService } from '../agent/agent.service';
import type { ConversationService } from '../conversation/conversation.service';
import { costMicroUsd, ModelProviderError, type ChatMessage, type ModelProvider } from '../provider/model-provider';
import { AgentExecution, ExecutionStatus } from './execution.entity';
import { AgentChatDelta, AgentChatFinished, AgentExecutionCompleted } from './execution.events';
import type { UsageGate } from './usage-gate';

export interface ChatCaller {
  tenantId: string;
  userId: string;
  organizationId: string | null;
}

export interface ChatInput {
  messages?: ChatMessage[] | null;
  input?: string | null;
  conversationId?: string | null;
  model?: string | null;
  temperature?: number | null;
  maxTokens?: number | null;
  useTools?: boolean | null;
  useRag?: boolean | null;
}

/** Runs chats with agents: checks, the model call (deltas relayed live), and the execution record. */
export class ExecutionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agents: AgentService,
    private readonly conversations: ConversationService,
    private readonly provider: ModelProvider | undefined,
    private readonly usageGate: UsageGate,
    private readonly settings: Pick<AgentSettings, 'modelPrices' | 'chatRateLimitPerMinute'>,
  ) {}

  async chat(caller: ChatCaller, agentId: string, input: ChatInput): Promise<AgentExecution> {
    const { tenantId, userId } = caller;
    await enforceRateLimit(this.dataSource, `agents:chat:${tenantId}:${userId}`, { limit: this.settings.chatRateLimitPerMinute, windowSeconds: 60 });
    const agent = await this.agents.activeOrNotFound(tenantId, agentId);
    const newMessages = messagesOf(input);
    if (!this.provider) throw new DomainError(AgentsErrors.PROVIDER_NOT_CONFIGURED);
    const owner = { tenantId, userId, agentId: agent.id };
    const conversationId = input.conversationId ?? null;
    const history = conversationId ? (await this.conversations.active(owner, conversationId), await this.conversations.history(tenantId, conversationId)) : [];
    const model = input.model ?? agent.model;
    await this.usageGate.assertCanSpend({ tenantId, userId, organizationId: caller.organizationId, agentId: agent.id, model });

    const executionId = randomUUID();
    const temperature = input.temperature ?? agent.temperature;
    const metadata = executionMetadata(agent, model, temperature, input);
    const prompt = [...(agent.systemPrompt ? [{ role: 'system' as const, content: agent.systemPrompt }] : []), ...history, ...newMessages];
    const started = Date.now();
    let index = 0;
    const relay = conversationId
      ? (delta: string) => publishDirect(this.dataSource, AgentChatDelta, tenantId, { conversationId, userId, executionId, index: index++, delta }).then(() => undefined)
      : undefined;
    const record = {
      id: executionId,
      tenantId,
      agentId: agent.id,
      userId,
      organizationId: caller.organizationId,
      conversationId,
      inputText: newMessages.map((m) => m.content).join('\n'),
      model,
      metadata,
    };
    try {
      const result = await this.provider.chat({ model, messages: prompt, temperature, maxTokens: input.maxTokens, onDelta: relay });
      const cost = costMicroUsd(this.settings.modelPrices, model, result.inputTokens, result.outputTokens);
      const execution = await this.dataSource.transaction(async (manager) => {
        if (conversationId) {
          await this.conversations.append(manager, owner, conversationId, [
            ...newMessages,
            { role: 'assistant', content: result.output, tokensUsed: result.outputTokens, metadata: { executionId, model } },
          ]);
        }
        const saved = await manager.getRepository(AgentExecution).save(
          manager.getRepository(AgentExecution).create({
            ...record,
            outputText: result.output,
            inputTokens: result.inputTokens,
            outputTokens: result.outputTokens,
            costMicroUsd: cost,
            executionTimeMs: Date.now() - started,
            status: ExecutionStatus.SUCCESS,
            errorMessage: null,
          }),
        );
        await emit(manager, AgentExecutionCompleted, tenantId, {
          executionId,
          agentId: agent.id,
          userId,
          organizationId: caller.organizationId,
          conversationId,
          model,
          inputTokens: result.inputTokens,
          outputTokens: result.outputTokens,
          costMicroUsd: cost,
        });
        return saved;
      });
      if (conversationId) await this.finish(tenantId, { conversationId, userId, executionId, status: 'SUCCESS', output: result.output, errorMessage: null, inputTokens: result.inputTokens, outputTokens: result.outputTokens });
      return execution;
    } catch (error) {
      if (!(error instanceof ModelProviderError)) throw error;
      const failed = await this.dataSource.getRepository(AgentExecution).save(
        this.dataSource.getRepository(AgentExecution).create({
          ...record,
          outputText: null,
          executionTimeMs: Date.now() - started,
          status: ExecutionStatus.FAILED,
          errorMessage: error.message,
        }),
      );
      if (conversationId) await this.finish(tenantId, { conversationId, userId, executionId, status: 'FAILED', output: null, errorMessage: error.message, inputTokens: 0, outputTokens: 0 });
      return failed;
    }
  }

  private async finish(tenantId: string, payload: Parameters<typeof publishDirect<typeof AgentChatFinished>>[3]): Promise<void> {
    await publishDirect(this.dataSource, AgentChatFinished, tenantId, payload);
  }

  /** The caller's executions with an agent, newest first. */
  history(caller: ChatCaller, agentId: string, skip: number, limit: number): Promise<AgentExecution[]> {
    return this.dataSource.getRepository(AgentExecution).find({
      where: { tenantId: caller.tenantId, userId: caller.userId, agentId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take: limit,
    });
  }
}

/** `messages`, or `input` as one user message; one of them is required. */
function messagesOf(input: ChatInput): ChatMessage[] {
  if (input.messages?.length) return input.messages.map(({ role, content }) => ({ role, content }));
  if (input.input?.trim()) return [{ role: 'user', content: input.input }];
  throw validationError([{ field: 'messages', message: 'messages or input is required' }]);
}

function executionMetadata(agent: Agent, model: string, temperature: number | null | undefined, input: ChatInput): Record<string, unknown> {
  const metadata: Record<string, unknown> = { model, temperature: temperature ?? null, max_tokens: input.maxTokens ?? null };
  // Retrieval comes in a later issue; say so rather than silently answering without context.
  if (agent.ragProvider !== RagProvider.NONE && input.useRag !== false) {
    metadata.rag = { provider: agent.ragProvider, status: 'unavailable', note: 'Retrieval is not available yet: the answer was produced without knowledge-base context' };
  }
  if (agent.mcpServers.length && input.useTools !== false) {
    metadata.tools = { status: 'unavailable', note: 'MCP tool calls are not available yet: the model was offered no tools' };
  }
  return metadata;
}
