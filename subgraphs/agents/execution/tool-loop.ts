import type { ChatRequest, ModelProvider, PromptMessage, ToolCallRequest } from '../provider/model-provider';
import type { McpToolbox } from '../tools/mcp-toolbox';

/** One tool call of a chat as saved on the execution (metadata.tool_calls) and the conversation. */
export interface ToolCallRecord {
  id: string;
  name: string;
  server: string | null;
  tool: string;
  /** The parsed arguments, or the model's text when it was not JSON. */
  arguments: unknown;
  result: string;
  is_error: boolean;
  duration_ms: number;
}

export interface ToolLoopLimits {
  maxSteps: number;
  /** Budget of all tool calls together. */
  timeoutMs: number;
}

export interface ToolLoopHooks {
  onDelta?: (text: string) => Promise<void> | void;
  onToolCall?: (call: ToolCallRequest) => Promise<void> | void;
  onToolResult?: (record: ToolCallRecord) => Promise<void> | void;
}

/** Filled as the loop runs, so a chat that fails midway still records what was called. */
export interface ToolLoopTrace {
  calls: ToolCallRecord[];
  steps: number;
  /** Why the model was made to answer without tools: the step bound or the time budget. */
  stoppedReason: 'max_steps' | 'time_budget' | null;
  inputTokens: number;
  outputTokens: number;
}

export const newTrace = (): ToolLoopTrace => ({ calls: [], steps: 0, stoppedReason: null, inputTokens: 0, outputTokens: 0 });

// What the execution keeps of each result; the model gets it whole.
const RECORDED_RESULT_CHARS = 10_000;

function parsedArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The tool-calling loop: the model answers or asks for tools; the tools run (in order) and their
 * results go back to the model, until it answers. After `maxSteps` rounds, or when the time budget
 * is spent, the model is asked once more with tool_choice "none" so it must answer. Returns the
 * final answer; token usage sums every model call. Provider errors propagate (a FAILED execution).
 */
export async function runToolLoop(
  provider: ModelProvider,
  request: Omit<ChatRequest, 'tools' | 'toolChoice' | 'onDelta'>,
  toolbox: McpToolbox | undefined,
  limits: ToolLoopLimits,
  hooks: ToolLoopHooks,
  trace: ToolLoopTrace,
): Promise<string> {
  const messages: PromptMessage[] = [...request.messages];
  const tools = toolbox?.tools.length ? toolbox.tools : undefined;
  const deadline = Date.now() + limits.timeoutMs;
  for (;;) {
    const mustAnswer = trace.stoppedReason !== null;
    const result = await provider.chat({ ...request, messages, tools, toolChoice: mustAnswer ? 'none' : 'auto', onDelta: hooks.onDelta });
    trace.inputTokens += result.inputTokens;
    trace.outputTokens += result.outputTokens;
    if (!tools || !result.toolCalls.length || mustAnswer) return result.output;

    trace.steps++;
    messages.push({ role: 'assistant', content: result.output || null, toolCalls: result.toolCalls });
    for (const call of result.toolCalls) {
      await hooks.onToolCall?.(call);
      const started = Date.now();
      const outcome = await toolbox!.call(call.name, call.arguments, deadline - started);
      const record: ToolCallRecord = {
        id: call.id,
        name: call.name,
        ...toolbox!.describe(call.name),
        arguments: parsedArguments(call.arguments),
        result: outcome.content.length > RECORDED_RESULT_CHARS ? `${outcome.content.slice(0, RECORDED_RESULT_CHARS)}… [truncated]` : outcome.content,
        is_error: outcome.isError,
        duration_ms: Date.now() - started,
      };
      trace.calls.push(record);
      await hooks.onToolResult?.(record);
      messages.push({ role: 'tool', toolCallId: call.id, content: outcome.content });
    }
    if (trace.steps >= limits.maxSteps) trace.stoppedReason = 'max_steps';
    else if (Date.now() >= deadline) trace.stoppedReason = 'time_budget';
  }
}
