import assert from 'node:assert/strict';
import { testPlatform } from '../helpers/global';
import { uniqueEmail } from '../helpers/client';
import { createTenant, type TestTenant } from '../helpers/tenants';

// The client exactly as the seed document ships it (it is the contract the legacy frontends use).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ApiClient } = require('../fixtures/seed-api-client');

describe('the seed ApiClient against the running platform', () => {
  let tenant: TestTenant;

  before(async () => {
    tenant = await createTenant({ name: 'Seed Client Co' });
  });

  it('registers, logs in, refreshes, reads me and logs out unchanged', async () => {
    const api = new ApiClient(tenant.public_key, testPlatform().routerUrl + '/');
    const email = uniqueEmail('seed');
    const registered = await api.auth.register(email, 'Password123', 'Seed User');
    assert.equal(registered.user.email, email);
    assert.equal(registered.user.display_name, 'Seed User');

    const loggedIn = await api.auth.login(email, 'Password123');
    assert.equal(loggedIn.token_type, 'Bearer');
    assert.equal(loggedIn.user.id, registered.user.id);

    const refreshed = await api.auth.refresh();
    assert.ok(refreshed.access_token);
    assert.notEqual(refreshed.access_token, loggedIn.access_token);

    const me = await api.auth.me();
    assert.equal(me.id, registered.user.id);
    assert.equal(me.email, email);

    await api.auth.logout();
    api.setAccessToken(refreshed.access_token);
    await assert.rejects(() => api.auth.me(), /Session has ended|Not authenticated|Invalid/);
  });

  it('surfaces errors through `detail`', async () => {
    const api = new ApiClient(tenant.public_key, testPlatform().routerUrl);
    await assert.rejects(() => api.auth.login(uniqueEmail('nobody'), 'Password123'), /Invalid email or password/);
  });
});
