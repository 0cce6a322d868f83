import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import OpenAI from 'openai';
import WebSocket from 'ws';
import { Client } from 'pg';
import { eventually, gql, rest, type CallOptions } from '../helpers/client';
import { fakeOpenAi } from '../helpers/fake-openai';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant, type TestUser } from '../helpers/tenants';
import { subscribeOrganization } from '../billing/usage-helpers';
import { createOrganization } from '../tenancy/organization-helpers';
import { asUser, newUser } from './helpers';

const COMPLETION_KEYS = ['choices', 'created', 'id', 'model', 'object', 'usage'];

/** One server-sent event as it arrived, and how many tokens the fake had sent by then. */
interface SseEvent {
  event?: string;
  data: string;
}

/** POST /v1/ai/completions with stream: true, read event by event; `onEvent` runs as each arrives. */
async function streamCompletion(body: Record<string, unknown>, options: CallOptions, onEvent: (event: SseEvent) => void = () => undefined) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': `10.77.0.${Math.floor(Math.random() * 250)}` };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const response = await fetch(`${testPlatform().routerUrl}/v1/ai/completions`, { method: 'POST', headers, body: JSON.stringify({ ...body, stream: true }) });
  const events: SseEvent[] = [];
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return { response, events, json: await response.json() };
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(part, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event.event = line.slice(7);
        if (line.startsWith('data: ')) event.data += line.slice(6);
      }
      events.push(event);
      onEvent(event);
    }
  }
  return { response, events, json: undefined };
}

describe('ai: POST /v1/ai/completions (OpenAI format, whole or streamed as server-sent events)', () => {
  let tenant: TestTenant;
  let user: TestUser;
  let db: Client;
  before(async () => {
    tenant = await createTenant();
    user = await newUser(tenant);
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(() => db.end());

  const meteredEvent = async (completionId: string) => {
    const rows = await db.query(`SELECT payload FROM platform.outbox WHERE type = 'agent.execution.completed' AND payload->>'executionId' = $1`, [completionId.replace(/^chatcmpl-/, '')]);
    return rows.rows.map((r) => r.payload);
  };

  it('answers a chat.completion with the usage, priced and metered through agent.execution.completed', async () => {
    fakeOpenAi().script('priced-model', { tokens: ['Bon', 'jour'], usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }];
    const { status, body } = await rest('POST', '/v1/ai/completions', { model: 'priced-model', messages, max_tokens: 4000, temperature: 0.3 }, asUser(tenant, user));
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), COMPLETION_KEYS);
    assert.match(body.id, /^chatcmpl-/);
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'priced-model');
    assert.ok(Number.isInteger(body.created) && Math.abs(body.created - Date.now() / 1000) < 60);
    assert.deepEqual(body.choices, [{ index: 0, message: { role: 'assistant', content: 'Bonjour' }, finish_reason: 'stop' }]);
    assert.deepEqual(body.usage, { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 });
    const sent = fakeOpenAi().requests.at(-1)!;
    assert.deepEqual([sent.model, sent.messages, sent.max_tokens, sent.temperature], ['priced-model', messages, 4000, 0.3]);
    // 1000 × 0.15 $/M + 500 × 0.60 $/M; no agent behind a plain completion
    assert.deepEqual(await meteredEvent(body.id), [
      { executionId: body.id.slice(9), agentId: null, userId: user.id, organizationId: null, conversationId: null, model: 'priced-model', inputTokens: 1000, outputTokens: 500, costMicroUsd: 450 },
    ]);
    // billing's consumer meters it (one message, its tokens)
    const record = await eventually(async () => {
      const rows = await db.query(`SELECT metric, quantity, user_id FROM billing.usage_records WHERE metadata->>'executionId' = $1`, [body.id.slice(9)]);
      return rows.rows[0];
    });
    assert.deepEqual([record.metric, Number(record.quantity), record.user_id], ['messages', 1, user.id]);
  });

  it('says finish_reason length when the answer used the whole max_tokens', async () => {
    fakeOpenAi().script('short-model', { tokens: ['a', 'b'], usage: { prompt_tokens: 3, completion_tokens: 2 } });
    const { body } = await rest('POST', '/v1/ai/completions', { model: 'short-model', messages: [{ role: 'user', content: 'x' }], max_tokens: 2, stream: false }, asUser(tenant, user));
    assert.equal(body.choices[0].finish_reason, 'length');
  });

  it('streams chat.completion.chunk events as the provider sends each token (not buffered), in order, ending with [DONE], then meters', async () => {
    let release: () => void = () => undefined;
    let waiting = 0;
    // The fake holds each token after the first until the client has received the previous one.
    fakeOpenAi().script('stream-model', {
      tokens: ['One', ' two', ' three'],
      usage: { prompt_tokens: 7, completion_tokens: 3 },
      gate: () => new Promise<void>((resolve) => ((release = resolve), (waiting += 1))),
    });
    const seen: string[] = [];
    const { response, events } = await streamCompletion({ model: 'stream-model', messages: [{ role: 'user', content: 'count' }] }, asUser(tenant, user), (event) => {
      const content = event.data !== '[DONE]' ? JSON.parse(event.data).choices[0]?.delta?.content : undefined;
      if (content) {
        seen.push(content);
        release(); // only now may the provider send the next token
      }
    });
    assert.equal(response.status, 200);
    assert.equal(waiting, 2, 'each later token waited for the client to receive the one before');
    assert.equal(response.headers.get('cache-control'), 'no-cache, no-transform');
    assert.ok(response.headers.get('x-ratelimit-limit'), 'the tier limit applies');
    assert.deepEqual(seen, ['One', ' two', ' three']);
    assert.equal(events.at(-1)!.data, '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data));
    assert.ok(events.every((e) => e.event === undefined));
    assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'stream-model'));
    assert.deepEqual(chunks.map((c) => c.choices[0].delta), [{ role: 'assistant', content: '' }, { content: 'One' }, { content: ' two' }, { content: ' three' }, {}]);
    assert.deepEqual(chunks.map((c) => c.choices[0].finish_reason), [null, null, null, null, 'stop']);
    assert.deepEqual(chunks.at(-1).usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    assert.ok(chunks.slice(0, -1).every((c) => !('usage' in c)));
    const [metered] = await meteredEvent(chunks[0].id);
    assert.deepEqual([metered.inputTokens, metered.outputTokens, metered.agentId], [7, 3, null]);
  });

  it("is read by the official openai client's stream parser", async () => {
    fakeOpenAi().script('sdk-model', { tokens: ['Hi', ' there'], usage: { prompt_tokens: 2, completion_tokens: 2 } });
    const client = new OpenAI({
      baseURL: `${testPlatform().routerUrl}/v1/ai`,
      apiKey: user.accessToken,
      defaultHeaders: { 'x-api-key': tenant.public_key },
      maxRetries: 0,
      // the documented path is /v1/ai/completions, not the SDK's /chat/completions
      fetch: (url, init) => fetch(String(url).replace('/chat/completions', '/completions'), init),
    });
    const stream = await client.chat.completions.create({ model: 'sdk-model', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      usage ??= chunk.usage ?? undefined;
    }
    assert.equal(text, 'Hi there');
    assert.deepEqual(usage, { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 });
    const whole = await client.chat.completions.create({ model: 'sdk-model', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(whole.choices[0].message.content, 'Hi there');
  });

  it('ends with an error event (no [DONE], not metered) when the provider fails midway; a provider error before any token is a 502', async () => {
    // The fake sends 'a', waits until the client has it, sends 'b' and drops the connection.
    let received: () => void = () => undefined;
    const aReceived = new Promise<void>((resolve) => (received = resolve));
    fakeOpenAi().script('dropping-stream', { tokens: ['a', 'b', 'c', 'd'], dropAfterTokens: 2, gate: () => aReceived });
    const { response, events } = await streamCompletion({ model: 'dropping-stream', messages: [{ role: 'user', content: 'x' }] }, asUser(tenant, user), (event) => {
      if (event.data.includes('"content":"a"')) received();
    });
    assert.equal(response.status, 200);
    const last = events.at(-1)!;
    assert.equal(last.event, 'error');
    assert.match(JSON.parse(last.data).error.message, /model provider failed/);
    assert.ok(!events.some((e) => e.data === '[DONE]'));
    const contents = events.slice(0, -1).map((e) => JSON.parse(e.data).choices[0].delta.content);
    // 'b' may be lost with the dropped connection; what arrived came in order
    assert.deepEqual(contents.slice(0, 2), ['', 'a']);
    assert.ok(contents.length <= 3 && (contents.length < 3 || contents[2] === 'b'));
    assert.deepEqual(await meteredEvent(JSON.parse(events[0].data).id), []);

    fakeOpenAi().script('broken-completion', { tokens: ['x'], failWithStatus: 500 });
    const broken = await rest('POST', '/v1/ai/completions', { model: 'broken-completion', messages: [{ role: 'user', content: 'x' }] }, asUser(tenant, user));
    assert.equal(broken.status, 502);
    assert.match(broken.body.detail, /HTTP 500/);
  });

  it('stops the provider call when the client leaves mid-stream, and meters nothing', async () => {
    let providerAborted: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => (providerAborted = resolve));
    // After the first token the fake waits for good: only the client leaving can end this stream.
    fakeOpenAi().script('endless-model', { tokens: ['first', 'never'], gate: () => new Promise<void>(() => undefined), onAbort: () => providerAborted() });
    const client = new AbortController();
    const headers = { 'content-type': 'application/json', 'x-api-key': tenant.public_key, authorization: `Bearer ${user.accessToken}` };
    const response = await fetch(`${testPlatform().routerUrl}/v1/ai/completions`, {
      method: 'POST', headers, signal: client.signal, body: JSON.stringify({ model: 'endless-model', messages: [{ role: 'user', content: 'x' }], stream: true }),
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('"first"')) text += new TextDecoder().decode((await reader.read()).value);
    const id = /"id":"(chatcmpl-[^"]+)"/.exec(text)![1];
    client.abort();
    // The provider timeout (3 s in tests) would end it too: the abort must arrive well before.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), 2500)));
    assert.equal(await Promise.race([aborted.then(() => 'aborted'), timedOut]), 'aborted');
    clearTimeout(timer);
    assert.deepEqual(await meteredEvent(id), []);
  });

  it("is charged to the user's default organization; once its messages are used up: 402 before any model call, whole or streamed", async () => {
    const payer = await newUser(tenant);
    const organization = await createOrganization(tenant, payer, 'Payer Org');
    await subscribeOrganization(tenant, organization.id, { maxMessages: 1 });
    const body = { model: 'budget-model', messages: [{ role: 'user', content: 'once' }] };
    const first = await rest('POST', '/v1/ai/completions', body, asUser(tenant, payer));
    assert.equal(first.status, 200);
    assert.equal((await meteredEvent(first.body.id))[0].organizationId, organization.id);
    // billing's consumer meters it: the organization's one message is spent
    await eventually(async () => {
      const rows = await db.query(`SELECT 1 FROM billing.usage_records WHERE metadata->>'executionId' = $1`, [first.body.id.slice(9)]);
      return rows.rowCount ? true : undefined;
    });
    const before = fakeOpenAi().requests.length;
    const whole = await rest('POST', '/v1/ai/completions', body, asUser(tenant, payer));
    assert.equal(whole.status, 402, JSON.stringify(whole.body));
    assert.match(whole.body.detail, /limit/i);
    const streamed = await streamCompletion(body, asUser(tenant, payer));
    assert.equal(streamed.response.status, 402);
    assert.equal(streamed.json.detail, whole.body.detail);
    assert.equal(fakeOpenAi().requests.length, before, 'the model was not called');
  });

  it('validates the body (422 naming the field), for whole and streamed completions', async () => {
    const call = asUser(tenant, user);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: 'm' }, 'messages'],
      [{ model: 'm', messages: [] }, 'messages'],
      [{ model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, 'role'],
      [{ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 5 }, 'temperature'],
      [{ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 'many' }, 'max_tokens'],
      [{ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
    ];
    const before = fakeOpenAi().requests.length;
    for (const [body, field] of cases) {
      const whole = await rest('POST', '/v1/ai/completions', body, call);
      assert.equal(whole.status, 422, `${JSON.stringify(body)} → ${JSON.stringify(whole.body)}`);
      assert.ok(whole.body.errors.some((e: { field: string }) => e.field.includes(field)), JSON.stringify(whole.body));
      const streamed = await streamCompletion(body, call);
      assert.equal(streamed.response.status, 422, `stream ${JSON.stringify(body)} → ${JSON.stringify(streamed.json)}`);
      assert.ok(streamed.json.errors.some((e: { field: string }) => e.field.includes(field)), JSON.stringify(streamed.json));
    }
    const badStream = await rest('POST', '/v1/ai/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: 'yes' }, call);
    assert.deepEqual([badStream.status, badStream.body.errors[0].field], [422, 'stream']);
    assert.equal(fakeOpenAi().requests.length, before, 'nothing reached the provider');
  });

  it('needs an end user: a key alone is refused, streamed or not', async () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    for (const options of [{ apiKey: tenant.public_key }, { bearer: tenant.secret_key }]) {
      const whole = await rest('POST', '/v1/ai/completions', body, options);
      assert.ok([401, 403].includes(whole.status), String(whole.status));
      const streamed = await streamCompletion(body, options);
      assert.equal(streamed.response.status, whole.status);
      assert.ok(streamed.json.detail);
    }
    assert.equal((await rest('POST', '/v1/ai/completions', body, {})).status, 401);
  });

  it('streams over graphql-ws as the aiCompletionStream subscription; a refusal is one item naming its code', async () => {
    fakeOpenAi().script('ws-model', { tokens: ['x', 'y'], usage: { prompt_tokens: 1, completion_tokens: 2 } });
    const client = createClient({
      url: testPlatform().routerUrl.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { apiKey: tenant.public_key, authorization: `Bearer ${user.accessToken}` },
      retryAttempts: 0,
    });
    const query = `subscription($input: AiCompletionInput!) { aiCompletionStream(input: $input) {
      object choices { delta { role content } finishReason } usage { totalTokens } error { type code status fields { field } } } }`;
    const collect = async (input: Record<string, unknown>) => {
      const items: any[] = [];
      for await (const result of client.iterate<any>({ query, variables: { input } })) {
        assert.equal(result.errors, undefined, JSON.stringify(result.errors));
        items.push(result.data.aiCompletionStream);
      }
      return items;
    };
    try {
      const items = await collect({ model: 'ws-model', messages: [{ role: 'user', content: 'go' }] });
      assert.deepEqual(items.map((i) => i.choices[0].delta.content), ['', 'x', 'y', null]);
      assert.deepEqual([items.at(-1).choices[0].finishReason, items.at(-1).usage.totalTokens], ['stop', 3]);
      assert.ok(items.every((i) => i.object === 'chat.completion.chunk' && i.error === null));
      const refused = await collect({ model: 'ws-model', messages: [] });
      assert.deepEqual(refused, [{ object: 'chat.completion.chunk', choices: [], usage: null, error: { type: 'refused', code: 'VALIDATION_FAILED', status: 422, fields: [{ field: 'messages' }] } }]);
    } finally {
      await client.dispose();
    }
  });

  it('is the createAiCompletion mutation in GraphQL', async () => {
    fakeOpenAi().script('graphql-model', { tokens: ['ok'], usage: { prompt_tokens: 1, completion_tokens: 1 } });
    const { body } = await gql(
      'mutation($input: AiCompletionInput!) { createAiCompletion(input: $input) { id object choices { message { role content } finishReason } usage { totalTokens } } }',
      { input: { model: 'graphql-model', messages: [{ role: 'user', content: 'hi' }] } },
      asUser(tenant, user),
    );
    assert.equal(body.errors, undefined);
    assert.equal(body.data.createAiCompletion.object, 'chat.completion');
    assert.deepEqual(body.data.createAiCompletion.choices, [{ message: { role: 'assistant', content: 'ok' }, finishReason: 'stop' }]);
    assert.equal(body.data.createAiCompletion.usage.totalTokens, 2);
  });
});
