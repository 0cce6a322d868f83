import assert from 'node:assert/strict';
import { rest, uniqueEmail, PASSWORD } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';

// The client exactly as the seed document ships it (the contract legacy frontends use).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ApiClient } = require('../fixtures/seed-api-client');

describe('the seed ApiClient users methods, unchanged', function () {
  this.timeout(60_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await createTenant({ name: 'Seed Users Co' });
  });

  it('a browser (public key + the signed-in user) reads, updates, sets and deactivates only its own user', async () => {
    const api = new ApiClient(tenant.public_key, testPlatform().routerUrl);
    const email = uniqueEmail('seed-user');
    const { user } = await api.auth.register(email, PASSWORD, 'Seed User');
    const other = await registerUser(tenant);

    const self = await api.users.get(user.id);
    assert.equal(self.email, email);
    assert.equal(self.settings, undefined);
    assert.equal((await api.users.get(user.id, true)).settings.theme, 'system');
    await assert.rejects(() => api.users.get(other.id), /Not found/);

    const updated = await api.users.update(user.id, { display_name: 'Renamed', locale: 'de' });
    assert.equal(updated.display_name, 'Renamed');
    assert.equal(updated.locale, 'de');
    const withSettings = await api.users.updateSettings(user.id, { theme: 'dark', preferences: { compact: true } });
    assert.equal(withSettings.settings.theme, 'dark');
    assert.deepEqual(withSettings.settings.preferences, { compact: true });

    await assert.rejects(() => api.users.list(), /needs users:read|scope|Public keys/i);
    await assert.rejects(() => api.users.activate(user.id), /scope|Public keys/i);

    const deactivated = await api.users.deactivate(user.id);
    assert.equal(deactivated.is_active, false);
    await assert.rejects(() => api.auth.login(email, PASSWORD), /Account is disabled/);
  });

  it('a server (secret key) lists, counts, activates and deletes', async () => {
    const api = new ApiClient(tenant.secret_key, testPlatform().routerUrl);
    const user = await registerUser(tenant);
    const listed = await api.users.list(1, 100, true);
    assert.ok(listed.users.some((u: { id: string }) => u.id === user.id));
    assert.equal(listed.page, 1);
    assert.equal(listed.per_page, 100);
    const stats = await api.users.stats();
    assert.equal(stats.total_users, listed.total);

    assert.equal((await api.users.deactivate(user.id)).is_active, false);
    assert.equal((await api.users.activate(user.id)).is_active, true);
    assert.equal((await api.users.update(user.id, { display_name: 'By Server' })).display_name, 'By Server');

    // 204 has no body: the document wins over the client's response.json() (issue #6), the user is deleted.
    await assert.rejects(() => api.users.delete(user.id), /JSON/);
    assert.equal((await rest('GET', `/v1/users/${user.id}`, undefined, { apiKey: tenant.secret_key })).status, 404);
    await assert.rejects(() => api.users.get(user.id), /Not found/);
  });
});
