import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SecretBox } from '../../src/auth/secret-box';
import { createDataSource } from '../../src/db/data-source';
import { DomainError } from '../../src/errors';
import { Agent } from '../../subgraphs/agents/agent/agent.entity';
import { AgentService } from '../../subgraphs/agents/agent/agent.service';
import { Conversation, ConversationMessage } from '../../subgraphs/agents/conversation/conversation.entity';
import { ConversationService } from '../../subgraphs/agents/conversation/conversation.service';
import { AgentExecution } from '../../subgraphs/agents/execution/execution.entity';
import { ExecutionService } from '../../subgraphs/agents/execution/execution.service';
import { ALLOW_ALL_USAGE, type UsageGate } from '../../subgraphs/agents/execution/usage-gate';
import { createModelProvider, OpenAiCompatibleProvider } from '../../subgraphs/agents/provider/model-provider';
import { fakeOpenAi } from '../helpers/fake-openai';
import { testPlatform } from '../helpers/global';

const SETTINGS = {
  modelPrices: {}, chatRateLimitPerMinute: 60, providerTimeoutMs: 3000, defaultModel: 'gpt-4o-mini', externalCallRateLimitPerMinute: 120,
  mcpAllowPrivateNetworks: true, toolMaxSteps: 3, toolLoopTimeoutMs: 10_000, toolCallTimeoutMs: 5000,
};

/** The execution service in-process on the test database: the start-up choices the platform makes once. */
describe('agents: no provider configured, and the billing usage gate', () => {
  let dataSource: DataSource;
  let agents: AgentService;
  let conversations: ConversationService;
  let agentId: string;
  const tenantId = randomUUID();
  const caller = { tenantId, userId: randomUUID(), organizationId: randomUUID() };

  before(async () => {
    dataSource = await createDataSource({
      url: testPlatform().databaseUrl,
      schema: 'agents',
      entities: [Agent, Conversation, ConversationMessage, AgentExecution],
      poolSize: 1,
      applicationName: 'agents-seams-test',
    }).initialize();
    agents = new AgentService(dataSource, 'gpt-4o-mini', { box: new SecretBox('seams-test-secret', 'agent-mcp-credentials'), policy: { allowPrivateNetworks: true } });
    conversations = new ConversationService(dataSource);
    agentId = (await agents.create(tenantId, { name: 'Seams' })).id;
  });
  after(() => dataSource?.destroy());

  const executionsOfTenant = async () => dataSource.getRepository(AgentExecution).countBy({ tenantId });

  it('has no provider without OPENAI_BASE_URL and OPENAI_API_KEY, and chat then answers 503 saying what to set', async () => {
    assert.equal(createModelProvider({ ...SETTINGS, openaiBaseUrl: undefined, openaiApiKey: undefined }), undefined);
    assert.ok(createModelProvider({ ...SETTINGS, openaiBaseUrl: 'http://127.0.0.1:11434/v1', openaiApiKey: undefined }));
    const executions = new ExecutionService(dataSource, agents, conversations, undefined, ALLOW_ALL_USAGE, SETTINGS);
    await assert.rejects(executions.chat(caller, agentId, { input: 'hi' }), (error: DomainError) => {
      assert.equal(error.status, 503);
      assert.equal(error.code, 'PROVIDER_NOT_CONFIGURED');
      assert.match(error.message, /OPENAI_BASE_URL/);
      return true;
    });
    assert.equal(await executionsOfTenant(), 0);
  });

  it('asks the usage gate before calling the model: a refusal (402) calls nothing and records nothing', async () => {
    const asked: unknown[] = [];
    const exhausted: UsageGate = {
      assertCanSpend: async (request) => {
        asked.push(request);
        throw new DomainError('PAYMENT_REQUIRED', 'Usage limit reached');
      },
    };
    const provider = new OpenAiCompatibleProvider({ openaiBaseUrl: fakeOpenAi().baseUrl, openaiApiKey: 'k', providerTimeoutMs: 3000 });
    const requestsBefore = fakeOpenAi().requests.length;
    const executions = new ExecutionService(dataSource, agents, conversations, provider, exhausted, SETTINGS);
    await assert.rejects(executions.chat(caller, agentId, { input: 'hi', model: 'gated-model' }), (error: DomainError) => error.status === 402);
    assert.deepEqual(asked, [{ tenantId, userId: caller.userId, organizationId: caller.organizationId, agentId, model: 'gated-model' }]);
    // The check runs while the conversation is read, but an unknown conversation still answers first.
    await assert.rejects(executions.chat(caller, agentId, { input: 'hi', model: 'gated-model', conversationId: randomUUID() }), (error: DomainError) => error.status === 404);
    assert.equal(fakeOpenAi().requests.length, requestsBefore, 'the model was not called');
    assert.equal(await executionsOfTenant(), 0);
  });
});
