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

export const EXECUTION_EVENTS = [AgentExecutionCompleted, AgentChatDelta, AgentChatFinished];
