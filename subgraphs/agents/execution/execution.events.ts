import { z } from 'zod';
import { defineDirectEvent, defineEvent } from '../../../src/events/define';

/** A chat or completion finished successfully: billing meters it (tokens and cost are the provider's usage priced by our table). */
export const AgentExecutionCompleted = defineEvent(
  'agent.execution.completed',
  z.object({
    executionId: z.guid(),
    /** null for a plain completion (`/v1/ai/completions`): no agent involved. */
    agentId: z.guid().nullable(),
    userId: z.guid(),
    organizationId: z.guid().nullable(),
    conversationId: z.guid().nullable(),
    model: z.string().min(1),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    costMicroUsd: z.number().int().nonnegative(),
  }),
);

/** One token delta of a conversation's chat, live only (direct pub/sub, never the outbox). */
export const AgentChatDelta = defineDirectEvent(
  'agent.chat.delta',
  z.object({ conversationId: z.guid(), userId: z.guid(), executionId: z.guid(), index: z.number().int().nonnegative(), delta: z.string() }),
);

/** A tool the model called during a conversation's chat (phase call), then its result (phase result); live only. */
export const AgentChatTool = defineDirectEvent(
  'agent.chat.tool',
  z.object({
    conversationId: z.guid(),
    userId: z.guid(),
    executionId: z.guid(),
    phase: z.enum(['call', 'result']),
    toolCallId: z.string(),
    name: z.string(),
    arguments: z.string(),
    result: z.string().nullable(),
    isError: z.boolean().nullable(),
  }),
);

/** The end of a conversation's chat: the full output and usage, or the error. */
export const AgentChatFinished = defineDirectEvent(
  'agent.chat.finished',
  z.object({
    conversationId: z.guid(),
    userId: z.guid(),
    executionId: z.guid(),
    status: z.enum(['SUCCESS', 'FAILED']),
    output: z.string().nullable(),
    errorMessage: z.string().nullable(),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
  }),
);

export const EXECUTION_EVENTS = [AgentExecutionCompleted, AgentChatDelta, AgentChatTool, AgentChatFinished];
