import assert from 'node:assert/strict';
import { rest } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { addMember, asUser, createOrganization, sql } from '../tenancy/organization-helpers';
import { subscribeOrganization } from './usage-helpers';

describe('usage metering (001 "usage" and organization usage)', () => {
  let tenant: TestTenant;
  let owner: TestUser;
  let member: TestUser;
  let organizationId: string;

  before(async function () {
    this.timeout(60_000);
    tenant = await createTenant();
    [owner, member] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
    organizationId = (await createOrganization(tenant, owner)).id;
    await addMember(tenant, organizationId, owner, member, 'member');
    await subscribeOrganization(tenant, organizationId, { maxTokens: 1000, maxMessages: 10, maxCostMicroUsd: 5_000_000 });
  });

  const consume = (user: TestUser, tokens: number, usage_type?: string) =>
    rest('POST', '/v1/usage/consume', { tokens, usage_type, user_id: user.id, organization_id: organizationId }, asUser(tenant, user));

  it('50 concurrent consumes at the limit never overshoot it; the rest answer 402', async function () {
    this.timeout(60_000);
    // 50 × 25 = 1,250 tokens against a limit of 1,000: exactly 40 fit
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => consume(i % 2 ? owner : member, 25)));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 40, JSON.stringify(results.find((r) => r.status !== 200 && r.status !== 402)?.body));
    assert.equal(statuses.filter((s) => s === 402).length, 10);
    const refused = results.find((r) => r.status === 402)!;
    assert.match(refused.body.detail, /Usage limit exceeded for tokens/);
    const [counter] = await sql(
      `SELECT value::float8 AS value FROM billing.usage_counters WHERE tenant_id = $1 AND organization_id = $2 AND meter = 'tokens' AND user_id = '00000000-0000-0000-0000-000000000000'`,
      [tenant.tenant_id, organizationId],
    );
    assert.equal(counter.value, 1000);
    const current = await rest('GET', `/v1/api/usage/current?organization_id=${organizationId}`, undefined, asUser(tenant, owner));
    assert.equal(current.status, 200);
    assert.deepEqual(current.body.usage.tokens, { total: 1000, input: 0, output: 0 });
    // per user: each consumed half of the accepted ones' share, and together exactly the total
    const perUser = await sql(
      `SELECT sum(value)::float8 AS total FROM billing.usage_counters WHERE tenant_id = $1 AND organization_id = $2 AND meter = 'tokens' AND user_id <> '00000000-0000-0000-0000-000000000000'`,
      [tenant.tenant_id, organizationId],
    );
    assert.equal(perUser[0].total, 1000);
  });

  it('consume answers the documented body; check has no side effect and says would_exceed', async () => {
    const consumed = await consume(member, 3, 'messages');
    assert.equal(consumed.status, 200);
    assert.deepEqual(consumed.body, {
      success: true,
      consumed: 3,
      usage_type: 'messages',
      allowed: true,
      limits: { allowed: true, usage_type: 'messages', current_usage: 3, max_limit: 10, remaining: 7, requested: null, error: null },
      error: null,
    });
    const check = await rest('POST', '/v1/usage/check', { tokens: 8, usage_type: 'messages', user_id: member.id, organization_id: organizationId }, asUser(tenant, member));
    assert.equal(check.status, 200);
    assert.equal(check.body.allowed, false);
    assert.equal(check.body.current_usage, 3);
    assert.equal(check.body.remaining, 7);
    assert.equal(check.body.requested, 8);
    const again = await rest('POST', '/v1/usage/check', { tokens: 7, usage_type: 'messages', user_id: member.id, organization_id: organizationId }, asUser(tenant, member));
    assert.equal(again.body.allowed, true);
    assert.equal(again.body.current_usage, 3, 'check consumed nothing');

    const orgCheck = await rest('POST', `/v1/organizations/${organizationId}/usage/check?additional_messages=8`, undefined, asUser(tenant, member));
    assert.equal(orgCheck.status, 200);
    assert.equal(orgCheck.body.would_exceed, true);
    assert.equal(orgCheck.body.limits.messages.max_limit, 10);
    assert.equal(orgCheck.body.limits.tokens.current_usage, 1000);
  });

  it('current, stats, history, organization and user usage show the same counters', async () => {
    const as = asUser(tenant, owner);
    const current = (await rest('GET', `/v1/api/usage/current?organization_id=${organizationId}`, undefined, as)).body;
    assert.equal(current.plan_name, 'Usage Test Plan');
    assert.deepEqual(current.usage.messages, { current: 3, max: 10, remaining: 7, percentage: 30 });
    assert.deepEqual(current.usage.cost_usd, { current: 0, max: 5, remaining: 5, percentage: 0 });
    assert.equal(current.error, null);

    const organization = await rest('GET', `/v1/organizations/${organizationId}/usage`, undefined, as);
    assert.equal(organization.status, 200);
    assert.deepEqual(organization.body.usage_stats, current);

    const stats = await rest('GET', `/v1/usage/stats?organization_id=${organizationId}`, undefined, asUser(tenant, member));
    assert.equal(stats.status, 200);
    assert.equal(stats.body.usage.organization.messages, 3);
    assert.equal(stats.body.usage.user.messages, 3, 'the member consumed the messages');

    const history = await rest('GET', `/v1/api/usage/history?organization_id=${organizationId}&limit=5&offset=0`, undefined, as);
    assert.equal(history.status, 200);
    assert.equal(history.body.length, 1);
    assert.equal(history.body[0].tokens_count, 1000);
    assert.equal(history.body[0].messages_count, 3);
    assert.equal(history.body[0].period_start, current.period_start);

    const user = await rest('GET', `/v1/organizations/${organizationId}/usage/user/${member.id}`, undefined, as);
    assert.equal(user.status, 200);
    assert.equal(user.body.user_id, member.id);
    assert.equal(user.body.usage.messages, 3);
  });

  it('refuses another user_id, bad amounts, and non-members', async () => {
    const other = await rest('POST', '/v1/usage/consume', { tokens: 1, user_id: owner.id, organization_id: organizationId }, asUser(tenant, member));
    assert.equal(other.status, 403);
    const zero = await consume(member, 0);
    assert.equal(zero.status, 422);
    const badType = await consume(member, 1, 'gigawatts');
    assert.equal(badType.status, 422);
    const outsider = await registerUser(tenant);
    const notMember = await rest('GET', `/v1/api/usage/current?organization_id=${organizationId}`, undefined, asUser(tenant, outsider));
    assert.equal(notMember.status, 404);
    const memberReadsOne = await rest('GET', `/v1/organizations/${organizationId}/usage/user/${owner.id}`, undefined, asUser(tenant, member));
    assert.equal(memberReadsOne.status, 200, 'members hold MEMBERS_READ');
  });

  it("another tenant's callers see nothing of the organization", async () => {
    const stranger = await createTenant();
    const strangerUser = await registerUser(stranger);
    const asStranger = await rest('GET', `/v1/api/usage/current?organization_id=${organizationId}`, undefined, asUser(stranger, strangerUser));
    assert.equal(asStranger.status, 404);
    const byKey = await rest('GET', `/v1/api/usage/current?organization_id=${organizationId}`, undefined, { bearer: stranger.secret_key });
    assert.equal(byKey.status, 200);
    assert.equal(byKey.body.usage.tokens.total, 0, "the other tenant's counters are its own");
    const consumeByKey = await rest('POST', '/v1/usage/consume', { tokens: 1, user_id: owner.id, organization_id: organizationId }, { bearer: stranger.secret_key });
    assert.equal(consumeByKey.status, 200);
    const mine = await rest('GET', `/v1/api/usage/current?organization_id=${organizationId}`, undefined, asUser(tenant, owner));
    assert.equal(mine.body.usage.tokens.total, 1000, 'untouched by the other tenant');
  });
});
