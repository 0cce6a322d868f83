import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../src/errors';
import { CompletionService } from '../../subgraphs/agents/completion/completion.service';
import { deltaStream } from '../../subgraphs/agents/completion/delta-stream';
import { ALLOW_ALL_USAGE, type UsageGate } from '../../subgraphs/agents/execution/usage-gate';
import { OpenAiCompatibleProvider } from '../../subgraphs/agents/provider/model-provider';
import { fakeOpenAi } from '../helpers/fake-openai';

// Refusals happen before the database is touched: none is needed here.
const NO_DATABASE = {} as DataSource;
const SETTINGS = { modelPrices: {} };
const INPUT = { model: 'gated-model', messages: [{ role: 'user' as const, content: 'hi' }] };

/** The completion service's start-up choices and refusals, in-process (the platform runs with a provider and no usage limit). */
describe('ai completions: no provider, the usage gate, and a caller that leaves', () => {
  const caller = { tenantId: randomUUID(), userId: randomUUID(), organizationId: null };
  const provider = () => new OpenAiCompatibleProvider({ openaiBaseUrl: fakeOpenAi().baseUrl, openaiApiKey: 'k', providerTimeoutMs: 3000 });

  it('answers 503 saying what to set when no provider is configured, whole or streamed', async () => {
    const completions = new CompletionService(NO_DATABASE, undefined, ALLOW_ALL_USAGE, SETTINGS);
    const unavailable = (error: DomainError) => error.status === 503 && error.code === 'PROVIDER_NOT_CONFIGURED' && /OPENAI_BASE_URL/.test(error.message);
    await assert.rejects(completions.complete(caller, INPUT), unavailable);
    await assert.rejects(completions.open(caller, INPUT), unavailable);
  });

  it('asks the usage gate first: a refusal (402) calls no model, whole or streamed; the stream route gets it as a refusal item', async () => {
    const asked: unknown[] = [];
    const exhausted: UsageGate = {
      assertCanSpend: async (request) => {
        asked.push(request);
        throw new DomainError('PAYMENT_REQUIRED', 'Usage limit reached');
      },
    };
    const before = fakeOpenAi().requests.length;
    const completions = new CompletionService(NO_DATABASE, provider(), exhausted, SETTINGS);
    await assert.rejects(completions.complete(caller, INPUT), (error: DomainError) => error.status === 402);
    const refusal = await completions.open(caller, INPUT).then(
      () => assert.fail('the stream must not open'),
      (error: DomainError) => completions.refusal(error),
    );
    assert.deepEqual(refusal.error, { message: 'Usage limit reached', type: 'refused', code: 'PAYMENT_REQUIRED', status: 402, fields: null });
    assert.deepEqual(asked, [
      { ...caller, agentId: null, model: 'gated-model' },
      { ...caller, agentId: null, model: 'gated-model' },
    ]);
    assert.equal(fakeOpenAi().requests.length, before, 'the model was not called');
  });

  it('validates a streamed input before anything else (the subscription has no argument validation of its own)', async () => {
    const completions = new CompletionService(NO_DATABASE, undefined, ALLOW_ALL_USAGE, SETTINGS);
    await assert.rejects(completions.open(caller, { model: 'm', messages: [{ role: 'robot', content: '' }] }), (error: DomainError) => {
      assert.equal(error.status, 422);
      assert.deepEqual(error.details.fields?.map((f) => f.field), ['messages[0].role', 'messages[0].content']);
      return true;
    });
  });

  it('aborts the provider call as soon as the consumer stops, even while waiting for a token', async () => {
    let aborted: AbortSignal | undefined;
    const stream = deltaStream(
      (onDelta, _onAccepted, signal) => {
        aborted = signal;
        onDelta('first');
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      },
      { first: () => 'role', delta: (text) => text, done: async () => 'done', failed: () => 'failed' },
    );
    assert.deepEqual(await stream.next(), { done: false, value: 'role' });
    assert.deepEqual(await stream.next(), { done: false, value: 'first' });
    const waiting = stream.next(); // nothing more comes: the generator waits
    await stream.return!(undefined);
    assert.equal(aborted?.aborted, true);
    assert.deepEqual(await waiting, { done: false, value: 'failed' });
    assert.deepEqual(await stream.next(), { done: true, value: undefined });
  });

  it('hands out the role chunk once the provider accepted the call, not before, then the deltas in order', async () => {
    let accept!: () => void;
    let deltaOf!: (text: string) => void;
    let finish!: () => void;
    const stream = deltaStream(
      (onDelta, onAccepted) => {
        [accept, deltaOf] = [onAccepted, onDelta];
        return new Promise((resolve) => (finish = () => resolve({ output: 'ab', toolCalls: [], inputTokens: 1, outputTokens: 2 })));
      },
      { first: () => 'role', delta: (text) => text, done: async (result) => `done ${result.output}`, failed: () => 'failed' },
    );
    let first: string | undefined;
    const pulled = stream.next().then((step) => (first = step.value));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(first, undefined, 'no role chunk before the provider accepted');
    accept();
    await pulled;
    assert.equal(first, 'role');
    deltaOf('a');
    deltaOf('b');
    finish();
    const rest: string[] = [];
    for await (const item of stream) rest.push(item);
    assert.deepEqual(rest, ['a', 'b', 'done ab']);
  });
});
