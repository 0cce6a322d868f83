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
import { AgentChatDelta, AgentChatFinished, AgentChatTool, AgentExecutionCompleted } from './execution.events';
import { organizationToSpend, type UsageGate } from './usage-gate';
import type { SecretBox } from '../../../src/auth/secret-box';
import type { Identity } from '../../../src/identity';
import type { SsrfPolicy } from '../../../src/net/ssrf-guard';
import { openMcpServer } from '../agent/mcp-servers';
import { McpToolbox } from '../tools/mcp-toolbox';
import { newTrace, runToolLoop, type ToolLoopHooks, type ToolLoopTrace } from './tool-loop';

/** How chats reach their agents' MCP servers; without it, no tools are offered. */
export interface ToolSettings {
  box: SecretBox;
  policy: SsrfPolicy;
  maxSteps: number;
  loopTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface ChatCaller {
  tenantId: string;
  userId: string;
  /** Null: the caller's default organization, when the usage gate knows it. */
  organizationId: string | null;
  identity?: Identity;
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
    private readonly tools?: ToolSettings,
  ) {}

  /** The agent's MCP tools for this chat, or undefined when it has none or the caller turned them off. */
  private async toolbox(agent: Agent, input: ChatInput): Promise<McpToolbox | undefined> {
    const tools = this.tools;
    if (!tools || input.useTools === false || !agent.mcpServersStored.length) return undefined;
    const servers = agent.mcpServersStored.map((server) => {
      try {
        return openMcpServer(server, tools.box);
      } catch (error) {
        return { name: server.name, error: `MCP server ${server.name} is unavailable: ${(error as Error).message}` };
      }
    });
    return McpToolbox.open(servers, { requestTimeoutMs: tools.requestTimeoutMs, policy: tools.policy });
  }

  async chat(caller: ChatCaller, agentId: string, input: ChatInput): Promise<AgentExecution> {
    const { tenantId, userId } = caller;
    await enforceRateLimit(this.dataSource, `agents:chat:${tenantId}:${userId}`, { limit: this.settings.chatRateLimitPerMinute, windowSeconds: 60 });
    const agent = await this.agents.activeOrNotFound(tenantId, agentId);
    const newMessages = messagesOf(input);
    if (!this.provider) throw new DomainError(AgentsErrors.PROVIDER_NOT_CONFIGURED);
    const owner = { tenantId, userId, agentId: agent.id };
    const conversationId = input.conversationId ?? null;
    const model = input.model ?? agent.model;
    const organizationId = await organizationToSpend(this.usageGate, caller.organizationId, caller.identity);
    // The usage check runs while the conversation is read; a missing or ended conversation still answers first.
    const admission = this.usageGate.assertCanSpend({ ...(caller.identity ? { identity: caller.identity } : {}), tenantId, userId, organizationId, agentId: agent.id, model });
    admission.catch(() => undefined);
    const history = conversationId ? (await this.conversations.active(owner, conversationId), await this.conversations.history(tenantId, conversationId)) : [];
    await admission;

    const executionId = randomUUID();
    const temperature = input.temperature ?? agent.temperature;
    const metadata = executionMetadata(agent, model, temperature, input);
    const prompt = [...(agent.systemPrompt ? [{ role: 'system' as const, content: agent.systemPrompt }] : []), ...history, ...newMessages];
    const started = Date.now();
    let index = 0;
    const live = { conversationId: conversationId!, userId, executionId };
    const hooks: ToolLoopHooks = conversationId
      ? {
          onDelta: (delta) => publishDirect(this.dataSource, AgentChatDelta, tenantId, { ...live, index: index++, delta }).then(() => undefined),
          onToolCall: (call) =>
            publishDirect(this.dataSource, AgentChatTool, tenantId, { ...live, phase: 'call', toolCallId: call.id, name: call.name, arguments: call.arguments, result: null, isError: null }).then(() => undefined),
          onToolResult: (record) =>
            publishDirect(this.dataSource, AgentChatTool, tenantId, {
              ...live, phase: 'result', toolCallId: record.id, name: record.name, arguments: JSON.stringify(record.arguments), result: record.result, isError: record.is_error,
            }).then(() => undefined),
        }
      : {};
    const record = {
      id: executionId,
      tenantId,
      agentId: agent.id,
      userId,
      organizationId,
      conversationId,
      inputText: newMessages.map((m) => m.content).join('\n'),
      model,
      metadata,
    };
    const toolbox = await this.toolbox(agent, input);
    const trace = newTrace();
    try {
      const limits = { maxSteps: this.tools?.maxSteps ?? 1, timeoutMs: this.tools?.loopTimeoutMs ?? 0 };
      const output = await runToolLoop(this.provider, { model, messages: prompt, temperature, maxTokens: input.maxTokens }, toolbox, limits, hooks, trace);
      Object.assign(metadata, toolMetadata(toolbox, trace));
      const result = { output, inputTokens: trace.inputTokens, outputTokens: trace.outputTokens };
      const cost = costMicroUsd(this.settings.modelPrices, model, result.inputTokens, result.outputTokens);
      const execution = await this.dataSource.transaction(async (manager) => {
        if (conversationId) {
          await this.conversations.append(manager, owner, conversationId, [
            ...newMessages,
            { role: 'assistant', content: result.output, tokensUsed: result.outputTokens, metadata: { executionId, model, ...(trace.calls.length ? { tool_calls: trace.calls } : {}) } },
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
          organizationId,
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
      if (!(error instanceof ModelProviderError)) {
        // The live stream still ends (e.g. the conversation was ended meanwhile); the caller gets the error.
        const message = error instanceof DomainError ? error.message : 'The chat failed';
        if (conversationId) await this.finish(tenantId, { conversationId, userId, executionId, status: 'FAILED', output: null, errorMessage: message, inputTokens: 0, outputTokens: 0 }).catch(() => undefined);
        throw error;
      }
      Object.assign(metadata, toolMetadata(toolbox, trace));
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
    } finally {
      await toolbox?.close();
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
  return metadata;
}

/** What the model was offered and what it called, for the execution record. */
function toolMetadata(toolbox: McpToolbox | undefined, trace: ToolLoopTrace): Record<string, unknown> {
  if (!toolbox) return {};
  return {
    tools: { offered: toolbox.tools.map((t) => t.name), unavailable: toolbox.unavailable, steps: trace.steps, stopped_reason: trace.stoppedReason },
    tool_calls: trace.calls,
  };
}
