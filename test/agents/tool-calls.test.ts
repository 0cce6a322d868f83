import assert from 'node:assert/strict';
import { Client } from 'pg';
import { eventually, gql, gqlData, rest } from '../helpers/client';
import { fakeOpenAi, type FakeOpenAiRequest } from '../helpers/fake-openai';
import { startFakeMcp, type FakeMcp } from '../helpers/fake-mcp';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { asUser, chat, CHAT_EVENTS, connectAs, createAgent, newUser } from './helpers';

const lastMessage = (request: FakeOpenAiRequest) => request.messages.at(-1)!;

/** Asks for `calls` until the conversation holds tool results, then answers with them. */
function callsThenAnswer(calls: Array<{ id?: string; name: string; arguments: string }>) {
  return (request: FakeOpenAiRequest) => {
    const results = request.messages.filter((m) => m.role === 'tool');
    if (results.length) return { tokens: ['Results: ', results.map((m) => m.content).join(' | ')], usage: { prompt_tokens: 20, completion_tokens: 2 } };
    return { tokens: ['Let me check. '], toolCalls: calls, usage: { prompt_tokens: 10, completion_tokens: 5 } };
  };
}

describe('agents: tool calls through MCP servers (Streamable HTTP)', () => {
  let tenant: TestTenant;
  let mcp: FakeMcp;
  let db: Client;
  before(async () => {
    tenant = await createTenant();
    mcp = await startFakeMcp({ bearerToken: 'mcp-token-123' });
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(async () => {
    await mcp.close();
    await db.end();
  });

  it('stores credentials encrypted, returns them masked, and keeps them when the mask is sent back', async () => {
    const servers = [{ name: 'calc', url: mcp.url, bearer_token: 'mcp-token-123', headers: { 'X-Tenant-Key': 'header-secret' } }];
    const agent = await createAgent(tenant, { mcpServers: servers });
    const shown = await gqlData(`query($id: ID!) { agent(id: $id) { mcpServers } }`, { id: agent }, { bearer: tenant.secret_key });
    assert.deepEqual(shown.agent.mcpServers, [{ name: 'calc', url: mcp.url, headers: { 'X-Tenant-Key': '********' }, bearer_token: '********' }]);
    const user = await newUser(tenant);
    const rest_ = await rest('GET', `/v1/user/agents/${agent}`, undefined, asUser(tenant, user));
    assert.deepEqual(rest_.body.mcp_servers, shown.agent.mcpServers);
    const row = await db.query(`SELECT mcp_servers::text AS raw FROM agents.agents WHERE id = $1`, [agent]);
    assert.doesNotMatch(row.rows[0].raw, /mcp-token-123|header-secret/);

    // Sent back masked (as read), the stored credentials stay: the tool call still authenticates.
    await gqlData(`mutation($id: ID!, $servers: [JSONObject!]) { updateAgent(id: $id, input: {model: "tool-keep", mcpServers: $servers}) { id } }`,
      { id: agent, servers: shown.agent.mcpServers }, { bearer: tenant.secret_key });
    fakeOpenAi().script('tool-keep', callsThenAnswer([{ name: 'calc__add', arguments: '{"a":1,"b":1}' }]));
    const { body } = await chat(tenant, user, agent, { input: 'one plus one' });
    assert.equal(body.output_text, 'Results: 2');
    assert.equal(mcp.headers.at(-1)!['x-tenant-key'], 'header-secret');
  });

  it('refuses invalid MCP server settings with the failing fields', async () => {
    const { body } = await gql(`mutation($servers: [JSONObject!]) { createAgent(input: {name: "Bad", mcpServers: $servers}) { id } }`, {
      servers: [{ name: 'ok', url: 'ftp://example.com' }, { name: 'bad name!', url: 'https://a.example/mcp', headers: { 'Content-Type': 'x' }, secret: 1 }, { name: 'ok', url: 'https://b.example/mcp' }],
    }, { bearer: tenant.secret_key });
    assert.equal(body.errors[0].extensions.code, 'VALIDATION_FAILED');
    assert.deepEqual(body.errors[0].extensions.fields.map((f: { field: string }) => f.field).sort(), [
      'mcpServers[0].url', 'mcpServers[1].headers.Content-Type', 'mcpServers[1].name', 'mcpServers[1].secret', 'mcpServers[2].name',
    ]);
  });

  it('runs a full round trip: the model asks for a tool, the platform calls it, the model answers with its result', async () => {
    const user = await newUser(tenant);
    const agent = await createAgent(tenant, { model: 'tool-round-trip', mcpServers: [{ name: 'calc', url: mcp.url, bearer_token: 'mcp-token-123' }] });
    fakeOpenAi().script('tool-round-trip', callsThenAnswer([{ id: 'call_add', name: 'calc__add', arguments: '{"a":2,"b":3}' }]));
    const conversationId = (await rest('POST', `/v1/user/agents/${agent}/conversations`, {}, asUser(tenant, user))).body.id;
    const callsBefore = mcp.calls.length;
    const requestsBefore = fakeOpenAi().requests.length;

    const { status, body } = await chat(tenant, user, agent, { input: 'What is 2 + 3?', conversation_id: conversationId });
    assert.equal(status, 200);
    assert.equal(body.status, 'SUCCESS');
    assert.equal(body.output_text, 'Results: 5');
    assert.equal(body.tokens_used, 10 + 5 + 20 + 2, 'usage of both model calls');
    assert.deepEqual(mcp.calls.slice(callsBefore), [{ name: 'add', arguments: { a: 2, b: 3 } }]);
    assert.equal(mcp.headers.at(-1)!.authorization, 'Bearer mcp-token-123');

    const [first, second] = fakeOpenAi().requests.slice(requestsBefore);
    const offered = first.tools!.map((t) => t.function.name).sort();
    assert.deepEqual(offered, ['calc__add', 'calc__echo', 'calc__explode', 'calc__fail', 'calc__slow']);
    const add = first.tools!.find((t) => t.function.name === 'calc__add')!.function;
    assert.equal(add.description, 'Adds two numbers');
    assert.deepEqual(Object.keys((add.parameters as { properties: object }).properties).sort(), ['a', 'b']);
    assert.equal(first.tool_choice, 'auto');
    assert.deepEqual(second.messages.slice(-2), [
      { role: 'assistant', content: 'Let me check. ', tool_calls: [{ id: 'call_add', type: 'function', function: { name: 'calc__add', arguments: '{"a":2,"b":3}' } }] },
      { role: 'tool', tool_call_id: 'call_add', content: '5' },
    ]);

    const [call] = body.execution_metadata.tool_calls;
    assert.deepEqual({ ...call, duration_ms: typeof call.duration_ms }, {
      id: 'call_add', name: 'calc__add', server: 'calc', tool: 'add', arguments: { a: 2, b: 3 }, result: '5', is_error: false, duration_ms: 'number',
    });
    assert.deepEqual(body.execution_metadata.tools, { offered: ['calc__add', 'calc__echo', 'calc__fail', 'calc__slow', 'calc__explode'], unavailable: [], steps: 1, stopped_reason: null });

    const conversation = await rest('GET', `/v1/user/agents/${agent}/conversations/${conversationId}`, undefined, asUser(tenant, user));
    const answer = conversation.body.messages.at(-1);
    assert.equal(answer.content, 'Results: 5');
    assert.equal(answer.message_metadata.tool_calls[0].result, '5');
    const history = await rest('GET', `/v1/user/agents/${agent}/history`, undefined, asUser(tenant, user));
    assert.equal(history.body[0].execution_metadata.tool_calls[0].tool, 'add');
  });

  it('gives the model the error text of a failing tool, a throwing tool, bad arguments and an unreachable server, without failing the chat', async () => {
    const user = await newUser(tenant);
    const down = await startFakeMcp();
    const downUrl = down.url;
    await down.close();
    const agent = await createAgent(tenant, {
      model: 'tool-failures',
      mcpServers: [{ name: 'calc', url: mcp.url, bearer_token: 'mcp-token-123' }, { name: 'down', url: downUrl }, { name: 'locked', url: mcp.url }, { name: 'meta', url: 'http://169.254.169.254/mcp' }],
    });
    fakeOpenAi().script('tool-failures', callsThenAnswer([
      { name: 'calc__fail', arguments: '{}' },
      { name: 'calc__explode', arguments: '{}' },
      { name: 'calc__add', arguments: '{"a": "two"' },
      { name: 'down__anything', arguments: '{}' },
    ]));
    const { status, body } = await chat(tenant, user, agent, { input: 'try everything' });
    assert.equal(status, 200);
    assert.equal(body.status, 'SUCCESS');
    const results = body.execution_metadata.tool_calls.map((c: { result: string; is_error: boolean }) => [c.is_error, c.result]);
    assert.equal(results.length, 4);
    assert.ok(results.every(([isError]: [boolean]) => isError));
    assert.match(results[0][1], /database is on fire/);
    assert.match(results[1][1], /kaboom/);
    assert.match(results[2][1], /not valid JSON/);
    assert.match(results[3][1], /no tool named down__anything/);
    assert.match(body.output_text, /^Results: Error: .*database is on fire/);
    const unavailable = Object.fromEntries(body.execution_metadata.tools.unavailable.map((u: { server: string; error: string }) => [u.server, u.error]));
    assert.deepEqual(Object.keys(unavailable).sort(), ['down', 'locked', 'meta'], 'an unreachable server, one refusing the credentials, a forbidden address');
    assert.match(unavailable.meta, /cloud metadata address/);
    assert.match(unavailable.down, /MCP server down is unavailable/);
  });

  it('gives the model a timeout error for a tool slower than AGENT_TOOL_CALL_TIMEOUT_MS', async function () {
    this.timeout(30_000);
    const user = await newUser(tenant);
    const agent = await createAgent(tenant, { model: 'tool-slow', mcpServers: [{ name: 'calc', url: mcp.url, bearer_token: 'mcp-token-123' }] });
    fakeOpenAi().script('tool-slow', callsThenAnswer([{ name: 'calc__slow', arguments: '{"ms":6000}' }]));
    const started = Date.now();
    const { body } = await chat(tenant, user, agent, { input: 'take your time' });
    assert.ok(Date.now() - started < 5500, 'the chat did not wait for the tool');
    assert.equal(body.status, 'SUCCESS');
    const [call] = body.execution_metadata.tool_calls;
    assert.equal(call.is_error, true);
    assert.match(call.result, /timed out/i);
    assert.match(body.output_text, /^Results: Error: /);
  });

  it('stops after the step bound and makes the model answer without tools', async () => {
    const user = await newUser(tenant);
    const agent = await createAgent(tenant, { model: 'tool-forever', mcpServers: [{ name: 'calc', url: mcp.url, bearer_token: 'mcp-token-123' }] });
    fakeOpenAi().script('tool-forever', (request) =>
      request.tool_choice === 'none' ? { tokens: ['I give up.'] } : { tokens: [], toolCalls: [{ name: 'calc__echo', arguments: '{"text":"again"}' }] });
    const requestsBefore = fakeOpenAi().requests.length;
    const { body } = await chat(tenant, user, agent, { input: 'loop' });
    assert.equal(body.status, 'SUCCESS');
    assert.equal(body.output_text, 'I give up.');
    assert.equal(body.execution_metadata.tool_calls.length, 3, 'AGENT_TOOL_MAX_STEPS=3 in the test platform');
    assert.equal(body.execution_metadata.tools.stopped_reason, 'max_steps');
    const requests = fakeOpenAi().requests.slice(requestsBefore);
    assert.deepEqual(requests.map((r) => r.tool_choice), ['auto', 'auto', 'auto', 'none']);
  });

  it('offers no tools with use_tools: false', async () => {
    const user = await newUser(tenant);
    const agent = await createAgent(tenant, { mcpServers: [{ name: 'calc', url: mcp.url, bearer_token: 'mcp-token-123' }] });
    const { body } = await chat(tenant, user, agent, { input: 'plain', use_tools: false });
    assert.equal(body.output_text, 'Echo: plain');
    assert.equal(fakeOpenAi().requests.at(-1)!.tools, undefined);
    assert.equal(body.execution_metadata.tools, undefined);
    assert.ok(lastMessage(fakeOpenAi().requests.at(-1)!).content === 'plain');
  });

  it('streams each tool call and result between the token deltas, then the final output and usage', async function () {
    this.timeout(60_000);
    const user = await newUser(tenant);
    const agent = await createAgent(tenant, { model: 'tool-streamed', mcpServers: [{ name: 'calc', url: mcp.url, bearer_token: 'mcp-token-123' }] });
    fakeOpenAi().script('tool-streamed', callsThenAnswer([{ id: 'call_echo', name: 'calc__echo', arguments: '{"text":"hi"}' }]));
    const conversationId = (await rest('POST', `/v1/user/agents/${agent}/conversations`, {}, asUser(tenant, user))).body.id;
    const client = connectAs(tenant, user);
    const received: any[] = [];
    const dispose = client.subscribe({ query: CHAT_EVENTS, variables: { conversationId } }, { next: (v) => received.push(v.data?.agentChatEvents), error: () => undefined, complete: () => undefined });
    try {
      // The gateway opens its upstream socket on the first subscription: chat until events arrive.
      await eventually(async () => {
        if (received.some((e) => e?.type === 'finished')) return true;
        await chat(tenant, user, agent, { input: 'warm up', conversation_id: conversationId });
        return undefined;
      }, 30_000);
      received.splice(0);
      const { body } = await chat(tenant, user, agent, { input: 'say hi', conversation_id: conversationId });
      const events = await eventually(async () => {
        const mine = received.filter((e) => e?.executionId === body.id);
        return mine.some((e) => e.type === 'finished') ? mine : undefined;
      });
      const compact = events.map((e) => [e.type, e.delta ?? e.toolName ?? e.output, e.toolArguments ?? e.toolResult ?? null]);
      assert.deepEqual(compact, [
        ['delta', 'Let me check. ', null],
        ['tool_call', 'calc__echo', '{"text":"hi"}'],
        ['tool_result', 'calc__echo', '{"text":"hi"}'],
        ['delta', 'Results: ', null],
        ['delta', 'hi', null],
        ['finished', 'Results: hi', null],
      ]);
      assert.deepEqual(events.map((e) => e.index).filter((i) => i !== null), [0, 1, 2]);
      assert.deepEqual([events[2].toolCallId, events[2].toolResult, events[2].toolIsError], ['call_echo', 'hi', false]);
      assert.deepEqual([events.at(-1).status, events.at(-1).inputTokens, events.at(-1).outputTokens], ['SUCCESS', 30, 7]);
    } finally {
      dispose();
      await client.dispose();
    }
  });
});
