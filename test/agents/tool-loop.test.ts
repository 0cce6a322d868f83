import assert from 'node:assert/strict';
import { newTrace, runToolLoop } from '../../subgraphs/agents/execution/tool-loop';
import type { ChatRequest, ChatResult, ModelProvider } from '../../subgraphs/agents/provider/model-provider';
import type { McpToolbox } from '../../subgraphs/agents/tools/mcp-toolbox';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The loop alone, with a model that always wants a tool and a tool that takes its time. */
describe('agents: the tool-calling loop time budget', () => {
  it('makes the model answer without tools once the time budget is spent, and gives later calls a timeout', async () => {
    const requests: ChatRequest[] = [];
    const provider: ModelProvider = {
      async chat(request): Promise<ChatResult> {
        requests.push(request);
        if (request.toolChoice === 'none') return { output: 'out of time', toolCalls: [], inputTokens: 1, outputTokens: 1 };
        return { output: '', toolCalls: [{ id: 'a', name: 's__wait', arguments: '{}' }, { id: 'b', name: 's__wait', arguments: '{}' }], inputTokens: 1, outputTokens: 1 };
      },
    };
    const budgets: number[] = [];
    const toolbox = {
      tools: [{ name: 's__wait', parameters: { type: 'object' } }],
      describe: () => ({ server: 's', tool: 'wait' }),
      async call(_name: string, _args: string, timeoutMs: number) {
        budgets.push(timeoutMs);
        if (timeoutMs <= 0) return { content: 'Error: the time allowed for tool calls in this chat is used up', isError: true };
        await sleep(timeoutMs + 5);
        return { content: 'Error: timed out', isError: true };
      },
    } as unknown as McpToolbox;
    const trace = newTrace();
    const output = await runToolLoop(provider, { model: 'm', messages: [{ role: 'user', content: 'go' }] }, toolbox, { maxSteps: 10, timeoutMs: 50 }, {}, trace);
    assert.equal(output, 'out of time');
    assert.equal(trace.stoppedReason, 'time_budget');
    assert.equal(trace.steps, 1);
    assert.deepEqual(requests.map((r) => r.toolChoice), ['auto', 'none']);
    assert.ok(budgets[0] > 0 && budgets[0] <= 50);
    assert.ok(budgets[1] <= 0, 'the second call of the step found the budget spent');
    assert.deepEqual([trace.inputTokens, trace.outputTokens], [2, 2]);
  });
});
