import assert from 'node:assert/strict';
import type { Client as WsClient } from 'graphql-ws';
import { eventually, gqlData, rest } from '../helpers/client';
import { fakeOpenAi } from '../helpers/fake-openai';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant, type TestUser } from '../helpers/tenants';
import { asUser, chat, CHAT_EVENTS, connectAs, createAgent, newUser } from './helpers';

const connect = connectAs;

describe('agents: conversations and streamed chat events', () => {
  let tenant: TestTenant;
  let agent: string;
  before(async () => {
    tenant = await createTenant();
    agent = await createAgent(tenant, { systemPrompt: 'Sys.' });
  });

  it('creates, lists, injects history, saves messages, and ends a conversation (204, no body; no messages after)', async () => {
    const user = await newUser(tenant);
    const created = await rest('POST', `/v1/user/agents/${agent}/conversations`, { title: 'Trip' }, asUser(tenant, user));
    assert.equal(created.status, 200);
    assert.deepEqual(Object.keys(created.body).sort(), ['agent_id', 'created_at', 'id', 'status', 'tenant_id', 'title', 'updated_at', 'user_id']);
    assert.deepEqual({ title: created.body.title, status: created.body.status, user_id: created.body.user_id }, { title: 'Trip', status: 'ACTIVE', user_id: user.id });
    const conversationId = created.body.id;

    assert.equal((await chat(tenant, user, agent, { input: 'first', conversation_id: conversationId })).body.output_text, 'Echo: first');
    const second = await chat(tenant, user, agent, { messages: [{ role: 'user', content: 'second' }], conversation_id: conversationId });
    assert.equal(second.body.status, 'SUCCESS');
    assert.deepEqual(fakeOpenAi().requests.at(-1)!.messages, [
      { role: 'system', content: 'Sys.' },
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'Echo: first' },
      { role: 'user', content: 'second' },
    ]);

    const got = await rest('GET', `/v1/user/agents/${agent}/conversations/${conversationId}`, undefined, asUser(tenant, user));
    assert.equal(got.status, 200);
    assert.deepEqual(got.body.messages.map((m: { role: string; content: string }) => [m.role, m.content]), [
      ['user', 'first'], ['assistant', 'Echo: first'], ['user', 'second'], ['assistant', 'Echo: second'],
    ]);
    assert.deepEqual(Object.keys(got.body.messages[0]).sort(), ['content', 'created_at', 'id', 'message_metadata', 'role', 'tokens_used']);

    await rest('POST', `/v1/user/agents/${agent}/conversations`, {}, asUser(tenant, user));
    const list = await rest('GET', `/v1/user/agents/${agent}/conversations?skip=0&limit=20`, undefined, asUser(tenant, user));
    assert.equal(list.body.length, 2);
    assert.equal(list.body[1].id, conversationId, 'newest first');
    assert.equal((await rest('GET', `/v1/user/agents/${agent}/conversations?limit=51`, undefined, asUser(tenant, user))).status, 422);

    const response = await fetch(`${testPlatform().routerUrl}/v1/user/agents/${agent}/conversations/${conversationId}`, {
      method: 'DELETE',
      headers: { 'x-api-key': tenant.public_key, authorization: `Bearer ${user.accessToken}` },
    });
    assert.equal(response.status, 204);
    assert.equal(await response.text(), '');
    const ended = await rest('GET', `/v1/user/agents/${agent}/conversations/${conversationId}`, undefined, asUser(tenant, user));
    assert.equal(ended.body.status, 'ENDED');
    const refused = await chat(tenant, user, agent, { input: 'third', conversation_id: conversationId });
    assert.equal(refused.status, 409);
    assert.match(refused.body.detail, /ended/);
    assert.equal((await rest('GET', `/v1/user/agents/${agent}/conversations/${conversationId}`, undefined, asUser(tenant, user))).body.messages.length, 4);
  });

  it("answers 404 for another user's or another tenant's conversation", async () => {
    const [owner, stranger] = [await newUser(tenant), await newUser(tenant)];
    const { body } = await rest('POST', `/v1/user/agents/${agent}/conversations`, {}, asUser(tenant, owner));
    const other = await createTenant();
    const otherAgent = await createAgent(other);
    const otherUser = await newUser(other);
    const tries = [
      () => rest('GET', `/v1/user/agents/${agent}/conversations/${body.id}`, undefined, asUser(tenant, stranger)),
      () => rest('DELETE', `/v1/user/agents/${agent}/conversations/${body.id}`, undefined, asUser(tenant, stranger)),
      () => chat(tenant, stranger, agent, { input: 'x', conversation_id: body.id }),
      () => rest('GET', `/v1/user/agents/${otherAgent}/conversations/${body.id}`, undefined, asUser(other, otherUser)),
      () => rest('GET', `/v1/user/agents/${agent}/conversations/not-a-uuid`, undefined, asUser(tenant, owner)),
    ];
    for (const attempt of tries) assert.equal((await attempt()).status, 404);
  });

  it("streams the chat's token deltas in order, then the final output and usage, to the conversation's owner only", async function () {
    this.timeout(60_000);
    const user = await newUser(tenant);
    const stranger = await newUser(tenant);
    const streamingAgent = await createAgent(tenant, { model: 'streaming-model' });
    const tokens = ['The', ' quick', ' brown', ' fox'];
    fakeOpenAi().script('streaming-model', { tokens, usage: { prompt_tokens: 7, completion_tokens: 4 } });
    const conversationId = (await rest('POST', `/v1/user/agents/${streamingAgent}/conversations`, {}, asUser(tenant, user))).body.id;

    const [ownerClient, strangerClient] = [connect(tenant, user), connect(tenant, stranger)];
    const received: any[] = [];
    const strangerData: any[] = [];
    let strangerErrors: unknown;
    let failure: unknown;
    const disposers = [
      ownerClient.subscribe({ query: CHAT_EVENTS, variables: { conversationId } }, { next: (v) => received.push(v), error: (e) => (failure = e), complete: () => undefined }),
      strangerClient.subscribe({ query: CHAT_EVENTS, variables: { conversationId } }, {
        next: (v) => (v.data ? strangerData.push(v.data) : (strangerErrors = v.errors)),
        error: (e) => (strangerErrors = e),
        complete: () => undefined,
      }),
    ];
    try {
      // The gateway opens its upstream socket on the first subscription: chat until events arrive.
      await eventually(async () => {
        assert.equal(failure, undefined);
        if (received.some((r) => r.data?.agentChatEvents.type === 'finished')) return true;
        await chat(tenant, user, streamingAgent, { input: 'go', conversation_id: conversationId });
        return undefined;
      }, 30_000);
      received.splice(0);
      const { body } = await chat(tenant, user, streamingAgent, { input: 'again', conversation_id: conversationId });
      const events = await eventually(async () => {
        const mine = received.map((r) => r.data.agentChatEvents).filter((e) => e.executionId === body.id);
        return mine.some((e) => e.type === 'finished') ? mine : undefined;
      });
      const deltas = events.filter((e) => e.type === 'delta');
      assert.deepEqual(deltas.map((e) => e.delta), tokens);
      assert.deepEqual(deltas.map((e) => e.index), [0, 1, 2, 3]);
      assert.deepEqual(events.at(-1), {
        type: 'finished', executionId: body.id, index: null, delta: null, status: 'SUCCESS', output: 'The quick brown fox', errorMessage: null, inputTokens: 7, outputTokens: 4,
        toolCallId: null, toolName: null, toolArguments: null, toolResult: null, toolIsError: null,
      });
      assert.equal(events.length, tokens.length + 1);
      assert.deepEqual(strangerData, [], "a stranger receives nothing of another user's conversation");
      const refused = await eventually(async () => strangerErrors);
      // refused at subscribe time (NOT_FOUND in the subgraph; the gateway words a subscription error generically)
      assert.ok(Array.isArray(refused) ? refused.length > 0 : refused, "the stranger is refused");
      if (Array.isArray(refused)) assert.doesNotMatch(JSON.stringify(refused), /quick|brown/);
    } finally {
      disposers.forEach((dispose) => dispose());
      await Promise.all([ownerClient.dispose(), strangerClient.dispose()]);
    }
  });

  it('ends the stream with an error event when the provider fails mid-stream', async function () {
    this.timeout(60_000);
    const user = await newUser(tenant);
    const failing = await createAgent(tenant, { model: 'midstream-failure' });
    fakeOpenAi().script('midstream-failure', { tokens: ['one', ' two', ' three'], dropAfterTokens: 2 });
    const conversationId = (await rest('POST', `/v1/user/agents/${failing}/conversations`, {}, asUser(tenant, user))).body.id;
    const client = connect(tenant, user);
    const received: any[] = [];
    const dispose = client.subscribe({ query: CHAT_EVENTS, variables: { conversationId } }, { next: (v) => received.push(v.data?.agentChatEvents), error: () => undefined, complete: () => undefined });
    try {
      const finished = await eventually(async () => {
        await chat(tenant, user, failing, { input: 'go', conversation_id: conversationId });
        return received.find((e) => e?.type === 'finished');
      }, 30_000);
      assert.equal(finished.status, 'FAILED');
      assert.match(finished.errorMessage, /model provider failed/);
      const execution = (await rest('GET', `/v1/user/agents/${failing}/history`, undefined, asUser(tenant, user))).body.find((e: { id: string }) => e.id === finished.executionId);
      assert.equal(execution.status, 'FAILED');
      // a failed chat saves no messages in the conversation
      const conversation = await rest('GET', `/v1/user/agents/${failing}/conversations/${conversationId}`, undefined, asUser(tenant, user));
      assert.deepEqual(conversation.body.messages, []);
    } finally {
      dispose();
      await client.dispose();
    }
  });

  it('refuses to save a chat whose conversation was ended while the model answered (409), and ends its stream with an error event', async function () {
    this.timeout(60_000);
    const user = await newUser(tenant);
    const racing = await createAgent(tenant, { model: 'ended-meanwhile' });
    let release: () => void = () => undefined;
    const conversationId = (await rest('POST', `/v1/user/agents/${racing}/conversations`, {}, asUser(tenant, user))).body.id;
    const client = connect(tenant, user);
    const received: any[] = [];
    const dispose = client.subscribe({ query: CHAT_EVENTS, variables: { conversationId } }, { next: (v) => received.push(v.data?.agentChatEvents), error: () => undefined, complete: () => undefined });
    try {
      // warm up the gateway's upstream subscription with ungated chats
      fakeOpenAi().script('ended-meanwhile', { tokens: ['warm'] });
      await eventually(async () => {
        await chat(tenant, user, racing, { input: 'warm', conversation_id: conversationId });
        return received.some((e) => e?.type === 'finished') ? true : undefined;
      }, 30_000);
      received.splice(0);
      const held = new Promise<void>((resolve) => (release = resolve));
      fakeOpenAi().script('ended-meanwhile', { tokens: ['one', ' two'], gate: () => held });
      const pending = chat(tenant, user, racing, { input: 'race', conversation_id: conversationId });
      // events of a warm-up chat may still arrive: follow the racing execution by its id
      const firstDelta = await eventually(async () => received.find((e) => e?.type === 'delta' && e.delta === 'one'));
      assert.equal((await rest('DELETE', `/v1/user/agents/${racing}/conversations/${conversationId}`, undefined, asUser(tenant, user))).status, 204);
      release();
      const refused = await pending;
      assert.equal(refused.status, 409);
      const finished = await eventually(async () => received.find((e) => e?.type === 'finished' && e.executionId === firstDelta.executionId));
      assert.equal(finished.status, 'FAILED');
      assert.match(finished.errorMessage, /ended/);
      const saved = await rest('GET', `/v1/user/agents/${racing}/conversations/${conversationId}`, undefined, asUser(tenant, user));
      assert.ok(!saved.body.messages.some((m: { content: string }) => m.content === 'race'), 'nothing of the refused chat is saved');
    } finally {
      release();
      dispose();
      await client.dispose();
    }
  });

  it('chats through the GraphQL mutation too', async () => {
    const user = await newUser(tenant);
    const data = await gqlData(
      `mutation($agentId: ID!) { chatWithAgent(agentId: $agentId, input: {input: "graph"}) { status outputText tokensUsed costMicroUsd } }`,
      { agentId: agent },
      asUser(tenant, user),
    );
    assert.equal(data.chatWithAgent.status, 'SUCCESS');
    assert.equal(data.chatWithAgent.outputText, 'Echo: graph');
  });
});
