import assert from 'node:assert/strict';
import { eventually, rest } from '../helpers/client';
import { fakeOpenAi } from '../helpers/fake-openai';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { subscribeOrganization } from '../billing/usage-helpers';
import { addMember, asUser as asOrgUser, createOrganization } from '../tenancy/organization-helpers';
import { chat, createAgent } from './helpers';

/** The real gate: the caller's default organization is checked with billing before the model is called. */
describe('agents: usage limits checked with billing before each chat', () => {
  let tenant: TestTenant;
  let owner: TestUser;
  let member: TestUser;
  let organizationId: string;
  let agent: string;
  before(async function () {
    this.timeout(60_000);
    tenant = await createTenant();
    [owner, member] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
    organizationId = (await createOrganization(tenant, owner)).id;
    await addMember(tenant, organizationId, owner, member, 'member');
    await subscribeOrganization(tenant, organizationId, { maxMessages: 1 });
    agent = await createAgent(tenant);
  });

  it("bills the caller's default organization, then answers 402 once its plan's messages are used up, without calling the model", async function () {
    this.timeout(30_000);
    const first = await chat(tenant, member, agent, { input: 'first' });
    assert.equal(first.status, 200);
    assert.equal(first.body.status, 'SUCCESS');
    assert.equal(first.body.organization_id, organizationId);
    // billing meters the execution from agent.execution.completed (through the worker)
    await eventually(async () => {
      const usage = await rest('GET', `/v1/api/usage/current?organization_id=${organizationId}`, undefined, asOrgUser(tenant, owner));
      return usage.body.usage?.messages.current === 1 ? true : undefined;
    });
    const requestsBefore = fakeOpenAi().requests.length;
    for (const user of [member, owner]) {
      const refused = await chat(tenant, user, agent, { input: 'over the limit' });
      assert.equal(refused.status, 402);
      assert.match(JSON.stringify(refused.body), /limit/i);
    }
    assert.equal(fakeOpenAi().requests.length, requestsBefore, 'the model was not called');
    const history = await rest('GET', `/v1/user/agents/${agent}/history`, undefined, asOrgUser(tenant, member));
    assert.deepEqual(history.body.map((e: { input_text: string }) => e.input_text), ['first'], 'a refused chat records nothing');
  });

  it('lets a user without an organization chat (metered per user)', async () => {
    const loner = await registerUser(tenant);
    const { status, body } = await chat(tenant, loner, agent, { input: 'solo' });
    assert.equal(status, 200);
    assert.equal(body.status, 'SUCCESS');
    assert.equal(body.organization_id, null);
  });

  it('bills the organization named by X-Organization-Id when the caller is a member of it, else 404', async () => {
    const other = (await createOrganization(tenant, member, 'Side project')).id;
    const named = await chat(tenant, member, agent, { input: 'on the side' }, { 'X-Organization-Id': other });
    assert.equal(named.status, 200);
    assert.equal(named.body.status, 'SUCCESS', 'the side organization has no plan limits, unlike the default one');
    assert.equal(named.body.organization_id, other);
    const stranger = await registerUser(tenant);
    for (const id of [other, 'not-an-id']) {
      const refused = await chat(tenant, stranger, agent, { input: 'not mine' }, { 'X-Organization-Id': id });
      assert.equal(refused.status, 404, id);
    }
  });
});
