import assert from 'node:assert/strict';
import { gql, gqlData, PASSWORD, type CallOptions } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { addAdminToWorkspace } from '../helpers/factory';
import { signedInAdmin } from '../admin/admin-helpers';

import { ACCESS_CODES, ADMIN_IN_WORKSPACE, CALLERS, END_USER, OPERATIONS, PUBLIC_KEY, SECRET_ALL, SINGLE_SCOPES } from './access-operations';

let tenant: TestTenant;
let user: TestUser;
/** Another end user of the tenant, for operations that end or delete an account. */
let victim: TestUser;
const callers = new Map<string, CallOptions>();
/** An organization the end user `user` owns. */
let organizationId: string;

function accessErrors(body: { errors?: Array<{ extensions?: { code?: string } }> }): string[] {
  return (body.errors ?? []).map((e) => e.extensions?.code ?? '').filter((code) => ACCESS_CODES.has(code));
}

describe('access matrix: what each kind of caller may read and change', function () {
  this.timeout(120_000);

  before(async () => {
    tenant = await createTenant();
    user = await registerUser(tenant);
    victim = await registerUser(tenant);
    for (const scope of SINGLE_SCOPES) {
      const created = await gqlData(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`,
        { input: { name: `only ${scope}`, type: 'secret', scopes: [scope] } },
        { bearer: tenant.secret_key },
      );
      callers.set(scope, { bearer: created.createApiKey.key });
    }
    callers.set(SECRET_ALL, { bearer: tenant.secret_key });
    callers.set(PUBLIC_KEY, { apiKey: tenant.public_key });
    // Logout ends the session: the end user signs in afresh for each operation that is run.
    callers.set(END_USER, { apiKey: tenant.public_key });
    const admin = await signedInAdmin('matrix');
    await addAdminToWorkspace(admin.id, tenant.tenant_id, 'owner');
    callers.set(ADMIN_IN_WORKSPACE, { bearer: admin.token, headers: { 'x-workspace-id': tenant.tenant_id } });
  });

  before(async () => {
    const created = await gqlData('mutation { createOrganization(input: {name: "Matrix Org", slug: "matrix-org"}) { id } }', {}, { apiKey: tenant.public_key, bearer: user.accessToken });
    organizationId = created.createOrganization.id;
  });

  for (const [name, operation] of Object.entries(OPERATIONS)) {
    it(`${name}: exactly ${operation.allowed.length === CALLERS.length ? 'every tenant caller' : operation.allowed.join(', ') || 'no tenant caller'}`, async () => {
      const allowed: string[] = [];
      for (const caller of CALLERS) {
        let options = callers.get(caller)!;
        if (caller === END_USER) options = { apiKey: tenant.public_key, bearer: (await freshToken()).accessToken };
        const { body } = await gql(operation.query, operation.variables?.({ tenant, user, victim, organizationId }) ?? {}, options);
        if (accessErrors(body).length === 0) allowed.push(caller);
      }
      const impliedByAll = (c: string) => c === ADMIN_IN_WORKSPACE && operation.allowed.includes(SECRET_ALL);
      assert.deepEqual(allowed, CALLERS.filter((c) => operation.allowed.includes(c) || impliedByAll(c)));
    });
  }

  it("another tenant's key reads none of this tenant's rows and changes none", async () => {
    const other = await createTenant();
    const agent = (await gqlData('mutation { createAgent(input: {name: "Mine", model: "m"}) { id } }', {}, { bearer: tenant.secret_key })).createAgent;
    const asOther = { bearer: other.secret_key };
    assert.equal((await gqlData('query($id: ID!) { endUser(id: $id) { id } }', { id: user.id }, asOther)).endUser, null);
    assert.equal((await gql('query($id: ID!) { agent(id: $id) { id } }', { id: agent.id }, asOther)).body.errors[0].extensions.code, 'NOT_FOUND');
    const keys = (await gqlData('{ apiKeys { items { id } } }', {}, { bearer: tenant.secret_key })).apiKeys.items as Array<{ id: string }>;
    const revoke = await gql('mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: keys[0].id }, asOther);
    assert.equal(revoke.body.errors[0].extensions.code, 'NOT_FOUND');
    assert.equal((await gql('{ endUsers { id } }', {}, { bearer: tenant.secret_key })).body.data.endUsers.some((u: { id: string }) => u.id === user.id), true);
  });

  describe('fields reached through other fields (extension fields and entity references)', () => {
    it("a key with agents:read alone gets the agents but not their owners' emails or usage: nulls as far as nullability allows", async () => {
      await gqlData('mutation($u: ID) { createAgent(input: {name: "Owned", model: "m", ownerUserId: $u}) { id } }', { u: user.id }, { bearer: tenant.secret_key });
      await gqlData('mutation { createAgent(input: {name: "Ownerless", model: "m"}) { id } }', {}, { bearer: tenant.secret_key });
      const asAgentsReader = callers.get('agents:read');
      // displayName is nullable: it alone becomes null, the owner stays; an ownerless agent keeps owner null
      const nullable = await gql('{ agents { name owner { id displayName } } }', {}, asAgentsReader);
      assert.equal(nullable.status, 200);
      const owned = nullable.body.data.agents.find((a: { name: string }) => a.name === 'Owned');
      assert.deepEqual(owned.owner, { id: user.id, displayName: null });
      assert.equal(nullable.body.data.agents.find((a: { name: string }) => a.name === 'Ownerless').owner, null);
      assert.deepEqual(nullable.body.errors[0].path.filter((key: string) => key !== '@'), ['agents', 'owner', 'displayName']);
      // email and usage are non-null: the null moves up to the nullable owner; the agents stay
      const { body } = await gql('{ agents { name owner { id email usage { metric } } } }', {}, asAgentsReader);
      assert.ok(body.data.agents.length >= 2);
      assert.ok(body.data.agents.every((a: { name: string; owner: unknown }) => a.name && a.owner === null));
      const messages = body.errors.map((e: { message: string; extensions: { code: string } }) => `${e.extensions.code}: ${e.message}`);
      assert.ok(messages.some((m: string) => m.startsWith('INSUFFICIENT_SCOPE') && m.includes('users:read') && m.includes('EndUser.email')), messages.join('\n'));
      assert.ok(messages.some((m: string) => m.startsWith('INSUFFICIENT_SCOPE') && m.includes('usage:read') && m.includes('EndUser.usage')), messages.join('\n'));
      assert.doesNotMatch(JSON.stringify(body.data), new RegExp(user.email));
    });

    it("with agents:read and users:read the owners' emails are readable; usage still not", async () => {
      const key = (
        await gqlData('mutation { createApiKey(input: {name: "two", type: "secret", scopes: ["agents:read", "users:read"]}) { key } }', {}, { bearer: tenant.secret_key })
      ).createApiKey.key;
      const readable = await gql('{ agents { owner { id email } } }', {}, { bearer: key });
      assert.equal(readable.body.errors, undefined);
      const owner = readable.body.data.agents.map((a: { owner: unknown }) => a.owner).find((o: { id: string } | null) => o?.id === user.id);
      assert.equal(owner.email, user.email);
      const withUsage = await gql('{ agents { owner { id email usage { metric } } } }', {}, { bearer: key });
      assert.deepEqual([...new Set(withUsage.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code))], ['INSUFFICIENT_SCOPE']);
      assert.match(withUsage.body.errors[0].message, /usage:read/);
    });

    it('a forbidden non-null root field nulls data; the answer names the missing scope', async () => {
      const { status, body } = await gql('{ endUsers { id } }', {}, callers.get('agents:read'));
      assert.equal(status, 200);
      assert.equal(body.data, null);
      assert.equal(body.errors[0].extensions.code, 'INSUFFICIENT_SCOPE');
      assert.match(body.errors[0].message, /users:read/);
    });

    it('without any credentials a guarded field is UNAUTHENTICATED', async () => {
      const { body } = await gql('{ currentTenant { id } }', {}, {});
      assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
    });
  });

  async function freshToken(): Promise<TestUser> {
    const { body } = await gql(
      `mutation($email: String!, $password: String!) { login(input: {email: $email, password: $password}) { accessToken refreshToken } }`,
      { email: user.email, password: PASSWORD },
      { apiKey: tenant.public_key },
    );
    return { ...user, accessToken: body.data.login.accessToken, refreshToken: body.data.login.refreshToken };
  }
});
