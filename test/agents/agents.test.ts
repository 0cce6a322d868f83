import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gql, gqlData, rest } from '../helpers/client';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { asUser, createAgent, newUser } from './helpers';

describe('agents: management (secret key) and the end-user REST face', () => {
  let tenant: TestTenant;
  before(async () => {
    tenant = await createTenant();
  });

  it('creates, updates and deletes an agent with all its settings stored and returned', async () => {
    const input = {
      name: 'Support',
      description: 'Answers support questions',
      systemPrompt: 'Be brief.',
      model: 'gpt-4o-mini',
      temperature: 0.3,
      responseType: 'audio',
      isActive: true,
      mcpServers: [{ name: 'docs', url: 'https://mcp.example.com/mcp' }],
      ragProvider: 'GOOGLE_FILE_SEARCH',
      ragConfig: { store: 'kb-1' },
    };
    const created = (
      await gqlData(
        `mutation($input: CreateAgentInput!) { createAgent(input: $input) { id name description systemPrompt model temperature responseType isActive mcpServers ragProvider ragConfig } }`,
        { input },
        { bearer: tenant.secret_key },
      )
    ).createAgent;
    const { id, ...settings } = created;
    assert.deepEqual(settings, input);

    const updated = (
      await gqlData(`mutation($id: ID!) { updateAgent(id: $id, input: {name: "Support 2", isActive: false, ragConfig: null}) { name isActive ragConfig temperature } }`, { id }, { bearer: tenant.secret_key })
    ).updateAgent;
    assert.deepEqual(updated, { name: 'Support 2', isActive: false, ragConfig: null, temperature: 0.3 });

    assert.equal((await gqlData(`mutation($id: ID!) { deleteAgent(id: $id) }`, { id }, { bearer: tenant.secret_key })).deleteAgent, true);
    const again = await gql(`mutation($id: ID!) { deleteAgent(id: $id) }`, { id }, { bearer: tenant.secret_key });
    assert.equal(again.body.errors[0].extensions.code, 'NOT_FOUND');
  });

  it('refuses invalid settings with the failing fields', async () => {
    const { body } = await gql(`mutation { createAgent(input: {name: " ", temperature: 3, model: "bad model!"}) { id } }`, {}, { bearer: tenant.secret_key });
    assert.equal(body.errors[0].extensions.code, 'VALIDATION_FAILED');
    const fields = body.errors[0].extensions.fields.map((f: { field: string }) => f.field).sort();
    assert.deepEqual(fields, ['model', 'name', 'temperature']);
  });

  it('lists only active agents to end users, pages with skip/limit, and shows details in the documented shape', async () => {
    const own = await createTenant();
    const user = await newUser(own);
    const first = await createAgent(own, { name: 'First', ragConfig: { k: 1 } });
    await createAgent(own, { name: 'Hidden', isActive: false });
    const second = await createAgent(own, { name: 'Second' });

    const list = await rest('GET', '/v1/user/agents/available', undefined, asUser(own, user));
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((a: { name: string }) => a.name), ['First', 'Second']);
    assert.deepEqual(Object.keys(list.body[0]).sort(), [
      'created_at', 'created_by', 'description', 'id', 'is_active', 'mcp_servers', 'name', 'rag_config', 'rag_provider', 'response_type', 'system_prompt', 'tenant_id', 'updated_at',
    ]);
    assert.deepEqual({ ...list.body[0], created_at: undefined, updated_at: undefined }, {
      id: first, tenant_id: own.tenant_id, name: 'First', description: null, system_prompt: 'You are helpful.', response_type: 'text',
      rag_provider: 'NONE', is_active: true, rag_config: { k: 1 }, mcp_servers: [], created_by: null, created_at: undefined, updated_at: undefined,
    });

    const page = await rest('GET', '/v1/user/agents/available?skip=1&limit=1', undefined, asUser(own, user));
    assert.deepEqual(page.body.map((a: { id: string }) => a.id), [second]);
    assert.equal((await rest('GET', '/v1/user/agents/available?limit=101', undefined, asUser(own, user))).status, 422);

    const details = await rest('GET', `/v1/user/agents/${second}`, undefined, asUser(own, user));
    assert.equal(details.status, 200);
    assert.equal(details.body.name, 'Second');
  });

  it("answers 404 for an inactive agent, a malformed id and another tenant's agent", async () => {
    const user = await newUser(tenant);
    const inactive = await createAgent(tenant, { isActive: false });
    const other = await createTenant();
    const foreign = await createAgent(other);
    for (const id of [inactive, foreign, 'not-a-uuid', randomUUID()]) {
      const { status, body } = await rest('GET', `/v1/user/agents/${id}`, undefined, asUser(tenant, user));
      assert.equal(status, 404, id);
      assert.equal(typeof body.detail, 'string');
    }
    const otherUser = await newUser(other);
    const list = await rest('GET', '/v1/user/agents/available', undefined, asUser(other, otherUser));
    assert.deepEqual(list.body.map((a: { id: string }) => a.id), [foreign]);
  });

  it('needs a signed-in end user', async () => {
    const agent = await createAgent(tenant);
    assert.equal((await rest('GET', '/v1/user/agents/available', undefined, { apiKey: tenant.public_key })).status, 401);
    assert.equal((await rest('POST', `/v1/user/agents/${agent}/chat`, { input: 'hi' }, { apiKey: tenant.public_key })).status, 401);
  });
});
