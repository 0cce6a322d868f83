import assert from 'node:assert/strict';
import { gql, gqlData, rest, PASSWORD } from '../helpers/client';
import { createTenant, latestMail, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { awaitMail } from '../mail/mailbox';

describe('tenant isolation', () => {
  let a: TestTenant;
  let b: TestTenant;
  let userA: TestUser;
  let userB: TestUser;

  before(async () => {
    [a, b] = await Promise.all([createTenant({ name: 'Tenant A' }), createTenant({ name: 'Tenant B' })]);
    [userA, userB] = await Promise.all([registerUser(a), registerUser(b)]);
  });

  it("a tenant's secret key lists only its own end users", async () => {
    const listed = await gqlData(`{ endUsers(first: 100) { id email } }`, {}, { bearer: a.secret_key });
    const ids = listed.endUsers.map((u: { id: string }) => u.id);
    assert.ok(ids.includes(userA.id));
    assert.ok(!ids.includes(userB.id));
  });

  it("another tenant's user id reads as nothing", async () => {
    const data = await gqlData(`query($id: ID!) { endUser(id: $id) { id } }`, { id: userB.id }, { bearer: a.secret_key });
    assert.equal(data.endUser, null);
  });

  it("entity references cannot reach another tenant's user", async () => {
    const agent = await gqlData(
      `mutation($input: CreateAgentInput!) { createAgent(input: $input) { id owner { id email } } }`,
      { input: { name: 'Cross', model: 'gpt-4o-mini', ownerUserId: userB.id } },
      { bearer: a.secret_key },
    );
    assert.equal(agent.createAgent.owner, null);
  });

  it("a user's token is refused with another tenant's key", async () => {
    const result = await rest('GET', '/v1/auth/me', undefined, { apiKey: a.public_key, bearer: userB.accessToken });
    assert.equal(result.status, 401);
  });

  it("login with one tenant's key does not find another tenant's user", async () => {
    const result = await rest('POST', '/v1/auth/login', { email: userB.email, password: PASSWORD }, { apiKey: a.public_key });
    assert.equal(result.status, 401);
  });

  it('the same email can register separately in two tenants', async () => {
    const other = await rest('POST', '/v1/auth/register', { email: userA.email, password: PASSWORD }, { apiKey: b.public_key });
    assert.equal(other.status, 201);
    assert.notEqual(other.body.user.id, userA.id);
  });

  it("the dev mailbox shows only the tenant's own mail", async () => {
    await rest('POST', '/v1/auth/forgot-password', { email: userB.email }, { apiKey: b.public_key });
    assert.ok(await awaitMail(b, userB.email));
    assert.equal(await latestMail(a, userB.email), undefined);
  });

  it("api keys of another tenant cannot be revoked", async () => {
    const keys = await gqlData(`{ apiKeys { items { id } } }`, {}, { bearer: b.secret_key });
    const result = await gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: keys.apiKeys.items[0].id }, { bearer: a.secret_key });
    assert.equal(result.body.errors[0].extensions.code, 'NOT_FOUND');
    const still = await gqlData(`{ apiKeys { items { id revokedAt } } }`, {}, { bearer: b.secret_key });
    assert.equal(still.apiKeys.items[0].revokedAt, null);
  });

  it("usage of another tenant's user is invisible", async () => {
    await gqlData(`mutation($input: RecordUsageInput!) { recordUsage(input: $input) { id } }`, { input: { metric: 'tokens', quantity: 7, userId: userB.id } }, { bearer: b.secret_key });
    const totals = await gqlData(`query($userId: ID) { usageTotals(userId: $userId) { metric quantity } }`, { userId: userB.id }, { bearer: a.secret_key });
    assert.deepEqual(totals.usageTotals, []);
    const malformed = await gql(`query { usageTotals(userId: "nope") { metric } }`, {}, { bearer: a.secret_key });
    assert.equal(malformed.body.errors[0].extensions.code, 'VALIDATION_FAILED');
  });
});
