import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { rest } from '../helpers/client';
import { fakeOpenAi } from '../helpers/fake-openai';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { asUser, chat, createAgent, newUser } from './helpers';

const EXECUTION_KEYS = [
  'agent_id', 'created_at', 'error_message', 'execution_metadata', 'execution_time_ms', 'id', 'input_text', 'organization_id', 'output_text', 'status', 'tenant_id', 'tokens_used', 'user_id',
];

describe('agents: chat (REST) against an OpenAI-compatible provider', () => {
  let tenant: TestTenant;
  let db: Client;
  before(async () => {
    tenant = await createTenant();
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(() => db.end());

  it('answers the documented execution record, prices it, and emits agent.execution.completed in its transaction', async () => {
    const user = await newUser(tenant);
    const agent = await createAgent(tenant, { model: 'priced-model', systemPrompt: 'Be kind.' });
    fakeOpenAi().script('priced-model', { tokens: ['Hel', 'lo', '!'], usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const { status, body } = await chat(tenant, user, agent, { messages: [{ role: 'user', content: 'Hi there' }], temperature: 0.5, max_tokens: 50 });
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), EXECUTION_KEYS);
    assert.equal(body.status, 'SUCCESS');
    assert.equal(body.output_text, 'Hello!');
    assert.equal(body.input_text, 'Hi there');
    assert.equal(body.tokens_used, 1500);
    assert.equal(body.agent_id, agent);
    assert.equal(body.user_id, user.id);
    assert.equal(body.tenant_id, tenant.tenant_id);
    assert.equal(body.error_message, null);
    assert.deepEqual(body.execution_metadata, { model: 'priced-model', temperature: 0.5, max_tokens: 50 });

    const sent = fakeOpenAi().requests.at(-1)!;
    assert.deepEqual(sent.messages, [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: 'Hi there' }]);
    assert.equal(sent.temperature, 0.5);
    assert.equal(sent.max_tokens, 50);

    const events = await db.query(`SELECT payload FROM platform.outbox WHERE type = 'agent.execution.completed' AND payload->>'executionId' = $1`, [body.id]);
    // 1000 × 0.15 $/M + 500 × 0.60 $/M = 150 + 300 micro-dollars
    assert.deepEqual(events.rows.map((r) => r.payload), [
      { executionId: body.id, agentId: agent, userId: user.id, organizationId: null, conversationId: null, model: 'priced-model', inputTokens: 1000, outputTokens: 500, costMicroUsd: 450 },
    ]);
  });

  it('takes `input` instead of messages, a model override, and refuses a chat with neither', async () => {
    const user = await newUser(tenant);
    const agent = await createAgent(tenant);
    const { body } = await chat(tenant, user, agent, { input: 'ping', model: 'override-model' });
    assert.equal(body.output_text, 'Echo: ping');
    assert.equal(fakeOpenAi().requests.at(-1)!.model, 'override-model');
    const missing = await chat(tenant, user, agent, {});
    assert.equal(missing.status, 422);
    assert.match(missing.body.detail, /messages or input/);
    const badRole = await chat(tenant, user, agent, { messages: [{ role: 'wizard', content: 'x' }] });
    assert.equal(badRole.status, 422);
  });

  it('records a provider error, a stream dropped midway and a provider past the timeout as FAILED executions with a clear message', async () => {
    const user = await newUser(tenant);
    fakeOpenAi().script('broken-model', { tokens: ['x'], failWithStatus: 500 });
    fakeOpenAi().script('dropping-model', { tokens: ['a', 'b', 'c', 'd'], dropAfterTokens: 2 });
    fakeOpenAi().script('slow-model', { tokens: ['late'], delayMs: 5000 });
    const cases: Array<[string, RegExp]> = [
      ['broken-model', /HTTP 500/],
      ['dropping-model', /model provider failed/],
      ['slow-model', /did not answer within 3000 ms/],
    ];
    for (const [model, message] of cases) {
      const agent = await createAgent(tenant, { model });
      const { status, body } = await chat(tenant, user, agent, { input: 'hello' });
      assert.equal(status, 200, model);
      assert.equal(body.status, 'FAILED', model);
      assert.match(body.error_message, message);
      assert.equal(body.output_text, null);
      const events = await db.query(`SELECT 1 FROM platform.outbox WHERE type = 'agent.execution.completed' AND payload->>'executionId' = $1`, [body.id]);
      assert.equal(events.rowCount, 0, 'a failed execution is not metered');
    }
  });

  it('says in the metadata that retrieval is not performed yet for a RAG agent, unless use_rag is false', async () => {
    const user = await newUser(tenant);
    const agent = await createAgent(tenant, { ragProvider: 'GOOGLE_FILE_SEARCH', ragConfig: { store: 'kb-1' } });
    const { body } = await chat(tenant, user, agent, { input: 'hello' });
    assert.equal(body.status, 'SUCCESS');
    assert.equal(body.execution_metadata.rag.provider, 'GOOGLE_FILE_SEARCH');
    assert.equal(body.execution_metadata.rag.status, 'unavailable');
    assert.match(body.execution_metadata.rag.note, /Retrieval is not available yet/);
    const details = await rest('GET', `/v1/user/agents/${agent}`, undefined, asUser(tenant, user));
    assert.deepEqual([details.body.rag_provider, details.body.rag_config], ['GOOGLE_FILE_SEARCH', { store: 'kb-1' }]);
    assert.equal((await chat(tenant, user, agent, { input: 'hello', use_rag: false })).body.execution_metadata.rag, undefined);
    const plain = await createAgent(tenant);
    assert.equal((await chat(tenant, user, plain, { input: 'hello' })).body.execution_metadata.rag, undefined);
  });

  it('lists only the caller\'s own executions with the agent as history, newest first', async () => {
    const agent = await createAgent(tenant);
    const [me, other] = [await newUser(tenant), await newUser(tenant)];
    await chat(tenant, me, agent, { input: 'one' });
    await chat(tenant, me, agent, { input: 'two' });
    await chat(tenant, other, agent, { input: 'theirs' });
    const { status, body } = await rest('GET', `/v1/user/agents/${agent}/history?skip=0&limit=20`, undefined, asUser(tenant, me));
    assert.equal(status, 200);
    assert.deepEqual(body.map((e: { input_text: string }) => e.input_text), ['two', 'one']);
    const paged = await rest('GET', `/v1/user/agents/${agent}/history?skip=1&limit=1`, undefined, asUser(tenant, me));
    assert.deepEqual(paged.body.map((e: { input_text: string }) => e.input_text), ['one']);
    assert.equal((await rest('GET', `/v1/user/agents/${agent}/history?limit=51`, undefined, asUser(tenant, me))).status, 422);
  });

  it("answers 404 for another tenant's agent", async () => {
    const user = await newUser(tenant);
    const foreign = await createAgent(await createTenant());
    assert.equal((await chat(tenant, user, foreign, { input: 'hi' })).status, 404);
    assert.equal((await rest('GET', `/v1/user/agents/${foreign}/history`, undefined, asUser(tenant, user))).status, 404);
  });

  it('allows 60 chats per minute per user, then 429', async function () {
    this.timeout(60_000);
    const user = await newUser(tenant);
    const unknownAgent = randomUUID(); // counted before the agent is looked up: cheap calls
    for (let i = 0; i < 60; i++) assert.equal((await chat(tenant, user, unknownAgent, { input: 'x' })).status, 404);
    const limited = await chat(tenant, user, unknownAgent, { input: 'x' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // another user is not affected
    assert.equal((await chat(tenant, await newUser(tenant), unknownAgent, { input: 'x' })).status, 404);
  });
});
