import assert from 'node:assert/strict';
import { Client } from 'pg';
import { readAllSubgraphMetrics } from '../../src/federation/metrics';
import { gql, gqlData, rest, uniqueEmail, uniqueIp, PASSWORD, type CallOptions } from '../helpers/client';
import { makeApiKey } from '../helpers/factory';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';

const USER_KEYS = [
  'id', 'email', 'display_name', 'avatar_url', 'locale', 'is_active', 'tenant_id', 'sub', 'is_email_verified', 'status',
  'default_organization_id', 'created_at', 'updated_at',
];

let subCounter = 0;
const uniqueSub = () => `ext-${process.pid}-${++subCounter}-${Math.random().toString(36).slice(2, 8)}`;

describe('end users: /v1/users and their GraphQL fields', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let other: TestTenant;
  let secret: CallOptions;
  let db: Client;

  const asUser = (tenantOf: TestTenant, user: TestUser): CallOptions => ({ apiKey: tenantOf.public_key, bearer: user.accessToken });
  /** The tenant's outbox events about `userId`, oldest first. */
  const eventsOf = async (tenantId: string, userId: string) =>
    (await db.query(`SELECT type, payload FROM platform.outbox WHERE tenant_id = $1 AND payload->>'userId' = $2 ORDER BY created_at, id`, [tenantId, userId])).rows as Array<{
      type: string;
      payload: Record<string, unknown>;
    }>;
  const createUser = (body: Record<string, unknown> = {}, options = secret) =>
    rest('POST', '/v1/users', { sub: uniqueSub(), email: uniqueEmail('made'), ...body }, options);

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
    secret = { apiKey: tenant.secret_key };
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(() => db.end());

  describe('create', () => {
    it('creates a user with a secret key: 201, the documented body, user.created in the outbox', async () => {
      const sub = uniqueSub();
      const email = uniqueEmail('Created').toUpperCase();
      const created = await rest('POST', '/v1/users', { sub, email, display_name: ' Ada ', locale: 'fr', is_email_verified: true, tenant_id: tenant.tenant_id }, secret);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.deepEqual(Object.keys(created.body).sort(), [...USER_KEYS, 'settings'].sort());
      assert.equal(created.body.email, email.toLowerCase());
      assert.equal(created.body.display_name, 'Ada');
      assert.equal(created.body.sub, sub);
      assert.equal(created.body.tenant_id, tenant.tenant_id);
      assert.equal(created.body.status, 'pending');
      assert.equal(created.body.is_active, true);
      assert.equal(created.body.is_email_verified, true);
      assert.equal(created.body.default_organization_id, null);
      assert.deepEqual(created.body.settings, { theme: 'system', language: null, timezone: null, email_notifications: true, marketing_emails: false, preferences: {} });
      assert.deepEqual((await eventsOf(tenant.tenant_id, created.body.id)).map((e) => e.type), ['user.created', 'end_user.registered']);
    });

    it('refuses bad input with 422 naming the wire fields, and writes nothing', async () => {
      const before = await rest('GET', '/v1/users/stats', undefined, secret);
      const bad = await rest('POST', '/v1/users', { sub: '', email: 'not-an-email', avatar_url: 'ftp://x', locale: '!!', status: 'Not Valid' }, secret);
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['avatar_url', 'email', 'locale', 'status', 'sub']);
      assert.match(bad.body.detail, /email must be a valid email address/);
      const missing = await rest('POST', '/v1/users', { email: uniqueEmail() }, secret);
      assert.equal(missing.status, 422);
      assert.deepEqual(missing.body.errors, [{ field: 'sub', message: 'is required' }]);
      const foreignTenant = await createUser({ tenant_id: other.tenant_id });
      assert.equal(foreignTenant.status, 422);
      assert.equal(foreignTenant.body.errors[0].field, 'tenant_id');
      assert.deepEqual((await rest('GET', '/v1/users/stats', undefined, secret)).body, before.body);
    });

    it('answers 409 for a taken email or sub, with no event written', async () => {
      const first = await createUser();
      const registered = await registerUser(tenant);
      const outboxSize = async () => Number((await db.query(`SELECT count(*) FROM platform.outbox WHERE tenant_id = $1`, [tenant.tenant_id])).rows[0].count);
      const size = await outboxSize();
      const sameEmail = await createUser({ email: registered.email.toUpperCase() });
      assert.equal(sameEmail.status, 409);
      assert.deepEqual(sameEmail.body, { detail: 'Email already registered' });
      const sameSub = await createUser({ sub: first.body.sub });
      assert.equal(sameSub.status, 409);
      assert.deepEqual(sameSub.body, { detail: 'A user with this sub already exists' });
      assert.equal(await outboxSize(), size);
      // Another tenant may use the same email and sub.
      assert.equal((await createUser({ email: first.body.email, sub: first.body.sub }, { apiKey: other.secret_key })).status, 201);
    });

    it('needs users:write: a public key with a user token, or a key with users:read only, gets 403', async () => {
      const user = await registerUser(tenant);
      assert.equal((await createUser({}, asUser(tenant, user))).status, 403);
      const readOnly = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['users:read'] });
      const denied = await createUser({}, { apiKey: readOnly });
      assert.equal(denied.status, 403);
      assert.match(denied.body.detail, /users:write/);
      assert.equal((await createUser({}, { apiKey: tenant.public_key })).status, 403, 'a public key alone');
    });

    it('a created user has no password: login fails until they reset it', async () => {
      const created = await createUser();
      const login = await rest('POST', '/v1/auth/login', { email: created.body.email, password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(login.status, 401);
    });
  });

  describe('list and stats', () => {
    let listTenant: TestTenant;
    let users: Array<{ id: string }>;

    before(async () => {
      listTenant = await createTenant();
      users = [];
      for (let i = 0; i < 7; i += 1) users.push((await createUser({}, { apiKey: listTenant.secret_key })).body);
      await rest('POST', `/v1/users/${users[1].id}/deactivate`, undefined, { apiKey: listTenant.secret_key });
      assert.equal((await rest('DELETE', `/v1/users/${users[2].id}`, undefined, { apiKey: listTenant.secret_key })).status, 204);
    });

    it('pages the active users, oldest first, in the documented body', async () => {
      const page = await rest('GET', '/v1/users?page=2&per_page=2', undefined, { apiKey: listTenant.secret_key });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.deepEqual(Object.keys(page.body), ['users', 'total', 'page', 'per_page', 'has_next', 'has_prev']);
      assert.deepEqual(
        { ...page.body, users: page.body.users.map((u: { id: string }) => u.id) },
        { users: [users[4].id, users[5].id], total: 5, page: 2, per_page: 2, has_next: true, has_prev: true },
      );
      assert.deepEqual(Object.keys(page.body.users[0]).sort(), [...USER_KEYS].sort());
      const defaults = await rest('GET', '/v1/users', undefined, { apiKey: listTenant.secret_key });
      assert.deepEqual({ ...defaults.body, users: defaults.body.users.length }, { users: 5, total: 5, page: 1, per_page: 20, has_next: false, has_prev: false });
    });

    it('includes deactivated users when asked, never deleted ones', async () => {
      const all = await rest('GET', '/v1/users?include_inactive=true&per_page=100', undefined, { apiKey: listTenant.secret_key });
      assert.equal(all.body.total, 6);
      const ids = all.body.users.map((u: { id: string }) => u.id);
      assert.ok(ids.includes(users[1].id));
      assert.ok(!ids.includes(users[2].id));
    });

    it('counts users in stats (deleted ones are gone)', async () => {
      const stats = await rest('GET', '/v1/users/stats', undefined, { apiKey: listTenant.secret_key });
      assert.equal(stats.status, 200);
      assert.deepEqual(stats.body, { total_users: 6, active_users: 5, inactive_users: 1 });
    });

    it('refuses bad page arguments with 422', async () => {
      for (const query of ['per_page=101', 'per_page=0', 'page=0', 'page=abc']) {
        const result = await rest('GET', `/v1/users?${query}`, undefined, { apiKey: listTenant.secret_key });
        assert.equal(result.status, 422, query);
        assert.ok(result.body.errors?.length, query);
      }
    });

    it('is for secret keys with users:read: a signed-in end user gets 403', async () => {
      const user = await registerUser(listTenant);
      assert.equal((await rest('GET', '/v1/users', undefined, asUser(listTenant, user))).status, 403);
      assert.equal((await rest('GET', '/v1/users/stats', undefined, asUser(listTenant, user))).status, 403);
    });

    it('runs the same number of SQL statements for a page of 2 as for 6 (no N+1 on default organizations)', async () => {
      const counters = async () => {
        const metrics = Object.values(await readAllSubgraphMetrics(testPlatform().config.subgraphUrls));
        return metrics.reduce((n, m) => n + m.requestSql, 0);
      };
      const measure = async (perPage: number) => {
        const before = await counters();
        const page = await rest('GET', `/v1/users?per_page=${perPage}&include_inactive=true`, undefined, { apiKey: listTenant.secret_key, ip: uniqueIp() });
        assert.equal(page.body.users.length, perPage);
        return (await counters()) - before;
      };
      const small = await measure(2);
      assert.ok(small > 0);
      assert.equal(await measure(6), small);
    });
  });

  describe('get', () => {
    it('a secret key reads any user of its tenant; include_settings adds the settings', async () => {
      const user = await registerUser(tenant);
      const plain = await rest('GET', `/v1/users/${user.id}`, undefined, secret);
      assert.equal(plain.status, 200);
      assert.deepEqual(Object.keys(plain.body).sort(), [...USER_KEYS].sort());
      assert.equal(plain.body.sub, user.id, 'a self-registered user has their id as sub');
      assert.equal(plain.body.status, 'active');
      const withSettings = await rest('GET', `/v1/users/${user.id}?include_settings=true`, undefined, secret);
      assert.equal(withSettings.body.settings.theme, 'system');
    });

    it('a public key with a user token reads only that user: anyone else is 404', async () => {
      const alice = await registerUser(tenant);
      const bob = await registerUser(tenant);
      const self = await rest('GET', `/v1/users/${alice.id}`, undefined, asUser(tenant, alice));
      assert.equal(self.status, 200);
      assert.equal(self.body.email, alice.email);
      const notBob = await rest('GET', `/v1/users/${bob.id}`, undefined, asUser(tenant, alice));
      assert.equal(notBob.status, 404);
      assert.deepEqual(notBob.body, { detail: 'Not found' });
      // A bare public key needs the token.
      assert.equal((await rest('GET', `/v1/users/${alice.id}`, undefined, { apiKey: tenant.public_key })).status, 401);
    });

    it("another tenant's user, an unknown id or a malformed one → 404", async () => {
      const stranger = await registerUser(other);
      for (const id of [stranger.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        assert.equal((await rest('GET', `/v1/users/${id}`, undefined, secret)).status, 404, id);
        for (const [method, path] of [['PUT', ''], ['PUT', '/settings'], ['POST', '/deactivate'], ['POST', '/activate'], ['DELETE', '']]) {
          assert.equal((await rest(method, `/v1/users/${id}${path}`, {}, secret)).status, 404, `${method} ${path} ${id}`);
        }
      }
      const data = await gqlData(`query($id: ID!) { endUser(id: $id) { id } }`, { id: stranger.id }, { bearer: tenant.secret_key });
      assert.equal(data.endUser, null);
    });
  });

  describe('update and settings', () => {
    it('the user updates their own profile; user.updated names the changed fields', async () => {
      const user = await registerUser(tenant);
      const updated = await rest('PUT', `/v1/users/${user.id}`, { display_name: 'Grace', avatar_url: 'https://cdn.example.com/g.png', locale: 'en-GB' }, asUser(tenant, user));
      assert.equal(updated.status, 200, JSON.stringify(updated.body));
      assert.equal(updated.body.display_name, 'Grace');
      assert.equal(updated.body.avatar_url, 'https://cdn.example.com/g.png');
      assert.equal(updated.body.locale, 'en-GB');
      const events = await eventsOf(tenant.tenant_id, user.id);
      assert.deepEqual(events.filter((e) => e.type === 'user.updated').map((e) => e.payload.fields), [['displayName', 'avatarUrl', 'locale']]);
      // The same values again change nothing and emit nothing.
      await rest('PUT', `/v1/users/${user.id}`, { display_name: 'Grace' }, asUser(tenant, user));
      assert.equal((await eventsOf(tenant.tenant_id, user.id)).filter((e) => e.type === 'user.updated').length, 1);
    });

    it("refuses another user's profile (404), a read-only key (403) and bad values (422)", async () => {
      const alice = await registerUser(tenant);
      const bob = await registerUser(tenant);
      assert.equal((await rest('PUT', `/v1/users/${bob.id}`, { display_name: 'x' }, asUser(tenant, alice))).status, 404);
      const readOnly = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['users:read'] });
      assert.equal((await rest('PUT', `/v1/users/${bob.id}`, { display_name: 'x' }, { apiKey: readOnly })).status, 403);
      const bad = await rest('PUT', `/v1/users/${alice.id}`, { display_name: 'x'.repeat(101), avatar_url: 'nope' }, asUser(tenant, alice));
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['avatar_url', 'display_name']);
      assert.equal((await rest('GET', `/v1/users/${alice.id}`, undefined, secret)).body.display_name, null);
    });

    it('updates settings: only the given keys change, preferences merge', async () => {
      const user = await registerUser(tenant);
      const first = await rest('PUT', `/v1/users/${user.id}/settings`, { theme: 'dark', timezone: 'Europe/Paris', preferences: { sidebar: 'left', density: 'compact' } }, asUser(tenant, user));
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(first.body.settings, { theme: 'dark', language: null, timezone: 'Europe/Paris', email_notifications: true, marketing_emails: false, preferences: { sidebar: 'left', density: 'compact' } });
      const second = await rest('PUT', `/v1/users/${user.id}/settings`, { marketing_emails: true, preferences: { density: null, beta: true } }, secret);
      assert.deepEqual(second.body.settings, { theme: 'dark', language: null, timezone: 'Europe/Paris', email_notifications: true, marketing_emails: true, preferences: { sidebar: 'left', beta: true } });
      const events = (await eventsOf(tenant.tenant_id, user.id)).filter((e) => e.type === 'user.settings_updated');
      assert.deepEqual(events.map((e) => e.payload.fields), [['theme', 'timezone', 'preferences'], ['marketingEmails', 'preferences']]);
      const bad = await rest('PUT', `/v1/users/${user.id}/settings`, { theme: 'neon', timezone: 'Mars/Olympus' }, asUser(tenant, user));
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.body.errors.map((e: { field: string }) => e.field).sort(), ['theme', 'timezone']);
      const wrongType = await rest('PUT', `/v1/users/${user.id}/settings`, { email_notifications: 'yes' }, asUser(tenant, user));
      assert.equal(wrongType.status, 422);
      assert.deepEqual(wrongType.body.errors, [{ field: 'email_notifications', message: 'must be true or false' }]);
      const notAnObject = await rest('PUT', `/v1/users/${user.id}/settings`, { preferences: 'compact' }, asUser(tenant, user));
      assert.equal(notAnObject.status, 422, JSON.stringify(notAnObject.body));
      assert.equal(notAnObject.body.errors[0].field, 'preferences');
      assert.equal((await rest('PUT', `/v1/users/${user.id}/settings`, '[1]', asUser(tenant, user))).status, 400);
      const unchanged = await rest('GET', `/v1/users/${user.id}?include_settings=true`, undefined, secret);
      assert.equal(unchanged.body.settings.theme, 'dark');
    });
  });

  describe('deactivate, activate, delete', () => {
    it('deactivation ends the sessions; the user cannot log in or refresh until a secret key activates them', async () => {
      const user = await registerUser(tenant);
      const deactivated = await rest('POST', `/v1/users/${user.id}/deactivate`, undefined, asUser(tenant, user));
      assert.equal(deactivated.status, 200);
      assert.equal(deactivated.body.is_active, false);
      assert.equal((await rest('GET', '/v1/auth/me', undefined, asUser(tenant, user))).status, 401, 'the access token stopped working');
      assert.equal((await rest('POST', '/v1/auth/refresh', { refresh_token: user.refreshToken }, { apiKey: tenant.public_key })).status, 401);
      const login = await rest('POST', '/v1/auth/login', { email: user.email, password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(login.status, 403);
      assert.deepEqual(login.body, { detail: 'Account is disabled' });
      // Activation is the tenant's: the user's own (ended) session and a public key cannot.
      assert.equal((await rest('POST', `/v1/users/${user.id}/activate`, undefined, asUser(tenant, user))).status, 401);
      assert.equal((await rest('POST', `/v1/users/${user.id}/activate`, undefined, { apiKey: tenant.public_key })).status, 403);
      const activated = await rest('POST', `/v1/users/${user.id}/activate`, undefined, secret);
      assert.equal(activated.status, 200);
      assert.equal(activated.body.is_active, true);
      assert.equal((await rest('POST', '/v1/auth/login', { email: user.email, password: PASSWORD }, { apiKey: tenant.public_key })).status, 200);
      const types = (await eventsOf(tenant.tenant_id, user.id)).map((e) => e.type).filter((t) => t.startsWith('user.'));
      assert.deepEqual(types, ['user.deactivated', 'user.activated']);
      // Activating an active user changes nothing and emits nothing.
      await rest('POST', `/v1/users/${user.id}/activate`, undefined, secret);
      assert.equal((await eventsOf(tenant.tenant_id, user.id)).filter((e) => e.type === 'user.activated').length, 1);
    });

    it('a user cannot deactivate someone else (404)', async () => {
      const alice = await registerUser(tenant);
      const bob = await registerUser(tenant);
      assert.equal((await rest('POST', `/v1/users/${bob.id}/deactivate`, undefined, asUser(tenant, alice))).status, 404);
      assert.equal((await rest('GET', `/v1/users/${bob.id}`, undefined, secret)).body.is_active, true);
    });

    it('delete: 204 without a body, then the user reads as 404, cannot sign in, and stays deleted', async () => {
      const user = await registerUser(tenant);
      const endUserAlone = await rest('DELETE', `/v1/users/${user.id}`, undefined, asUser(tenant, user));
      assert.equal(endUserAlone.status, 403, 'deleting is for secret keys');
      const deleted = await rest('DELETE', `/v1/users/${user.id}`, undefined, secret);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.body, undefined);
      assert.equal((await rest('GET', `/v1/users/${user.id}`, undefined, secret)).status, 404);
      assert.equal((await rest('DELETE', `/v1/users/${user.id}`, undefined, secret)).status, 404);
      assert.equal((await rest('POST', `/v1/users/${user.id}/activate`, undefined, secret)).status, 404);
      assert.equal((await rest('GET', '/v1/auth/me', undefined, asUser(tenant, user))).status, 401);
      assert.equal((await rest('POST', '/v1/auth/refresh', { refresh_token: user.refreshToken }, { apiKey: tenant.public_key })).status, 401);
      const login = await rest('POST', '/v1/auth/login', { email: user.email, password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(login.status, 401);
      assert.deepEqual(login.body, { detail: 'Invalid email or password' });
      assert.ok((await eventsOf(tenant.tenant_id, user.id)).some((e) => e.type === 'user.deleted'));
    });
  });

  describe('GraphQL', () => {
    it('serves the same operations, with field errors in GraphQL names', async () => {
      const data = await gqlData(
        `mutation($input: CreateEndUserInput!) { createEndUser(input: $input) { id sub status settings { theme } } }`,
        { input: { sub: uniqueSub(), email: uniqueEmail('gql'), status: 'invited' } },
        { bearer: tenant.secret_key },
      );
      assert.equal(data.createEndUser.status, 'invited');
      const bad = await gql(`mutation($id: ID!) { updateEndUserSettings(id: $id, input: { theme: "neon" }) { id } }`, { id: data.createEndUser.id }, { bearer: tenant.secret_key });
      assert.equal(bad.body.errors[0].extensions.code, 'VALIDATION_FAILED');
      assert.deepEqual(bad.body.errors[0].extensions.fields, [{ field: 'theme', message: 'must be one of: light, dark, system' }]);
      const page = await gqlData(`{ endUserPage(perPage: 1) { total items { id } } endUserStats { totalUsers } }`, {}, { bearer: tenant.secret_key });
      assert.equal(page.endUserPage.items.length, 1);
      assert.equal(page.endUserPage.total, page.endUserStats.totalUsers - (await rest('GET', '/v1/users/stats', undefined, secret)).body.inactive_users);
    });
  });
});
