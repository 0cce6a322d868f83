import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { createDataSource } from '../../src/db/data-source';
import { emit } from '../../src/events/outbox';
import { AgentExecutionCompleted } from '../../subgraphs/agents/execution/execution.events';
import { UsageRecord } from '../../subgraphs/billing/usage/usage-record.entity';
import { UsageMeteringService } from '../../subgraphs/billing/usage/usage-metering.service';
import { eventually, rest } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { addMember, asUser, createOrganization } from '../tenancy/organization-helpers';
import { subscribeOrganization } from './usage-helpers';

const USAGE_UPDATED = `subscription($organizationId: ID!) {
  usageUpdated(organizationId: $organizationId) {
    metric quantity total
    usage { periodStart periodEnd planName usage { messages { current max remaining percentage } costUsd { current max remaining percentage } tokens { total input output } } }
  }
}`;

function connect(tenant: TestTenant, user: TestUser): Client {
  return createClient({
    url: testPlatform().routerUrl.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { apiKey: tenant.public_key, authorization: `Bearer ${user.accessToken}` },
    retryAttempts: 0,
  });
}

const agentExecution = (organizationId: string, userId: string) => ({
  executionId: randomUUID(),
  agentId: randomUUID(),
  userId,
  organizationId,
  conversationId: null,
  model: 'gpt-test',
  inputTokens: 120,
  outputTokens: 80,
  costMicroUsd: 1_250_000,
});

describe('usage from events, and live usage (usageUpdated)', () => {
  let tenant: TestTenant;
  let owner: TestUser;
  let member: TestUser;
  let organizationId: string;
  let db: PgClient;

  before(async function () {
    this.timeout(60_000);
    tenant = await createTenant();
    [owner, member] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
    organizationId = (await createOrganization(tenant, owner)).id;
    await addMember(tenant, organizationId, owner, member, 'member');
    await subscribeOrganization(tenant, organizationId, { maxMessages: 100, maxCostMicroUsd: 10_000_000 });
    db = new PgClient({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(() => db.end());

  const current = async () => (await rest('GET', `/v1/api/usage/current?organization_id=${organizationId}`, undefined, asUser(tenant, owner))).body;

  it('an agent execution meters one message, its tokens and its cost through the worker', async () => {
    await emit(db, AgentExecutionCompleted, tenant.tenant_id, agentExecution(organizationId, member.id));
    const usage = await eventually(async () => {
      const body = await current();
      return body.usage.messages.current === 1 ? body.usage : undefined;
    });
    assert.deepEqual(usage.tokens, { total: 200, input: 120, output: 80 });
    assert.deepEqual(usage.cost_usd, { current: 1.25, max: 10, remaining: 8.75, percentage: 12.5 });
  });

  it('a redelivered execution event is metered once', async () => {
    const dataSource = createDataSource({ url: testPlatform().databaseUrl, schema: 'billing', entities: [UsageRecord] });
    await dataSource.initialize();
    try {
      const before = (await current()).usage;
      const event = { id: randomUUID(), tenantId: tenant.tenant_id, type: AgentExecutionCompleted.type, payload: agentExecution(organizationId, member.id), createdAt: new Date().toISOString() } as const;
      const metering = new UsageMeteringService(dataSource);
      await Promise.all([metering.meterAgentExecution(event), metering.meterAgentExecution(event), metering.meterAgentExecution(event)]);
      await metering.meterAgentExecution(event);
      const after = (await current()).usage;
      assert.equal(after.messages.current, before.messages.current + 1);
      assert.equal(after.tokens.total, before.tokens.total + 200);
    } finally {
      await dataSource.destroy();
    }
  });

  it("streams the organization's current usage to its owner after each change, and refuses a plain member", async function () {
    this.timeout(60_000);
    const ownerSocket = connect(tenant, owner);
    const memberSocket = connect(tenant, member);
    const received: any[] = [];
    let memberError: unknown;
    const disposeOwner = ownerSocket.subscribe({ query: USAGE_UPDATED, variables: { organizationId } }, { next: (v) => received.push(v), error: (e) => received.push({ error: e }), complete: () => undefined });
    const disposeMember = memberSocket.subscribe({ query: USAGE_UPDATED, variables: { organizationId } }, {
      next: (v) => (memberError = v.data ? 'received data' : v.errors),
      error: (e) => (memberError = e),
      complete: () => undefined,
    });
    try {
      // the gateway subscribes upstream lazily: consume until the first event arrives
      const consume = () => rest('POST', '/v1/usage/consume', { tokens: 1, usage_type: 'messages', user_id: member.id, organization_id: organizationId }, asUser(tenant, member));
      await eventually(async () => {
        assert.equal((await consume()).status, 200);
        return received.length ? true : undefined;
      }, 30_000);
      const last = await eventually(async () => {
        const now = await current();
        const match = received.find((r) => r.data?.usageUpdated.usage.usage.messages.current === now.usage.messages.current);
        return match ? { event: match.data.usageUpdated, now } : undefined;
      });
      assert.equal(last.event.metric, 'messages');
      assert.deepEqual(last.event.usage.usage.messages, last.now.usage.messages);
      assert.deepEqual(last.event.usage.usage.costUsd, last.now.usage.cost_usd);
      assert.deepEqual(last.event.usage.usage.tokens, last.now.usage.tokens);
      assert.equal(last.event.usage.planName, last.now.plan_name);
      assert.equal(new Date(last.event.usage.periodStart).toISOString(), new Date(last.now.period_start).toISOString());
      // the member's subscription is refused (the gateway words the subgraph's 403 as a generic error)
      const denied = await eventually(async () => memberError);
      assert.ok(Array.isArray(denied) && denied.length > 0, JSON.stringify(denied));
    } finally {
      disposeOwner();
      disposeMember();
      await ownerSocket.dispose();
      await memberSocket.dispose();
    }
  });
});
