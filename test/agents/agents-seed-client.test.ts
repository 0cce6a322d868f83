import assert from 'node:assert/strict';
import { rest, uniqueEmail, PASSWORD } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { asUser, createAgent } from './helpers';

// The client exactly as the seed document ships it (the contract legacy frontends use).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ApiClient } = require('../fixtures/seed-api-client');

describe('the seed ApiClient agents methods, unchanged', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let agent: string;
  before(async () => {
    tenant = await createTenant({ name: 'Seed Agents Co' });
    agent = await createAgent(tenant, { name: 'Seed helper', systemPrompt: 'Be brief.' });
    await createAgent(tenant, { name: 'Hidden', isActive: false });
  });

  it('lists and reads agents, chats in a conversation, reads history and conversations, and ends one', async () => {
    const api = new ApiClient(tenant.public_key, testPlatform().routerUrl);
    const { user } = await api.auth.register(uniqueEmail('seed-agents'), PASSWORD, 'Seed Agents');

    const available = await api.agents.getAvailable();
    assert.deepEqual(available.map((a: { name: string }) => a.name), ['Seed helper']);
    assert.equal((await api.agents.get(agent)).system_prompt, 'Be brief.');

    const conversation = await api.agents.createConversation(agent, 'Seed talk');
    assert.deepEqual([conversation.title, conversation.status, conversation.user_id], ['Seed talk', 'ACTIVE', user.id]);
    const execution = await api.agents.chat(agent, [{ role: 'user', content: 'hello seed' }], { temperature: 0.2, conversation_id: conversation.id });
    assert.equal(execution.status, 'SUCCESS');
    assert.equal(execution.output_text, 'Echo: hello seed');
    assert.equal(execution.execution_metadata.temperature, 0.2);

    const history = await api.agents.getHistory(agent);
    assert.deepEqual(history.map((e: { id: string }) => e.id), [execution.id]);
    assert.deepEqual((await api.agents.listConversations(agent)).map((c: { id: string }) => c.id), [conversation.id]);
    const full = await api.agents.getConversation(agent, conversation.id);
    assert.deepEqual(full.messages.map((m: { role: string; content: string }) => [m.role, m.content]), [['user', 'hello seed'], ['assistant', 'Echo: hello seed']]);

    // 204 with no body, as documented: the seed client's response.json() cannot parse it, but the conversation is ended.
    await assert.rejects(() => api.agents.endConversation(agent, conversation.id), SyntaxError);
    assert.equal((await api.agents.getConversation(agent, conversation.id)).status, 'ENDED');
    await assert.rejects(() => api.agents.chat(agent, [{ role: 'user', content: 'more' }], { conversation_id: conversation.id }), /ended/);
    await assert.rejects(() => api.agents.get('00000000-0000-4000-8000-000000000000'), /not found/i);
    assert.equal((await rest('GET', `/v1/user/agents/${agent}/history`, undefined, asUser(tenant, { ...user, accessToken: 'bad' }))).status, 401);
  });
});
