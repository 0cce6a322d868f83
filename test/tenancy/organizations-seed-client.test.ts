import assert from 'node:assert/strict';
import { testPlatform } from '../helpers/global';
import { PASSWORD, uniqueEmail } from '../helpers/client';
import { createTenant, registerUser, tokenFromMail, type TestTenant } from '../helpers/tenants';
import { awaitMail } from '../mail/mailbox';
import { uniqueSlug } from './organization-helpers';

// The client exactly as the seed document ships it (the contract of the legacy frontends).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ApiClient } = require('../fixtures/seed-api-client');

describe("the seed ApiClient's organizations methods, unchanged", function () {
  this.timeout(120_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await createTenant({ name: 'Seed Org Client Co' });
  });

  async function signedIn(email = uniqueEmail('seed-org')) {
    await registerUser(tenant, email);
    const api = new ApiClient(tenant.public_key, testPlatform().routerUrl);
    const { user } = await api.auth.login(email, PASSWORD);
    return { api, user };
  }

  it('create, list mine, get, update, members', async () => {
    const { api, user } = await signedIn();
    const slug = uniqueSlug('seed');
    const created = await api.organizations.create('My Org', slug, 'Made by the seed client');
    assert.equal(created.slug, slug);
    assert.equal(created.role, 'owner');
    const { organizations } = await api.organizations.getMyOrganizations();
    assert.deepEqual(organizations.map((o: { id: string }) => o.id), [created.id]);
    assert.equal((await api.organizations.get(created.id)).name, 'My Org');
    assert.equal((await api.organizations.update(created.id, { name: 'Renamed' })).name, 'Renamed');
    const members = await api.organizations.getMembers(created.id);
    assert.deepEqual(members.map((m: { user_id: string; role: string }) => [m.user_id, m.role]), [[user.id, 'owner']]);
  });

  it('invite, accept, change role, deactivate, remove, set default, reject', async () => {
    const owner = await signedIn();
    const org = await owner.api.organizations.create('Team', uniqueSlug('team'));
    const joinerEmail = uniqueEmail('joiner');
    const joiner = await signedIn(joinerEmail);

    const invitation = await owner.api.organizations.invite(org.id, joinerEmail, 'member');
    assert.equal(invitation.status, 'pending');
    const token = tokenFromMail((await awaitMail(tenant, joinerEmail)).text);
    const accepted = await joiner.api.organizations.acceptInvitation(token);
    assert.equal(accepted.organization.id, org.id);

    assert.equal((await owner.api.organizations.updateMemberRole(org.id, joiner.user.id, 'admin')).role, 'admin');
    assert.match((await joiner.api.organizations.setDefault(org.id)).message, /Default/);
    assert.equal((await owner.api.organizations.deactivateMember(org.id, joiner.user.id)).is_active, false);
    assert.deepEqual(await owner.api.organizations.removeMember(org.id, joiner.user.id), { message: 'Member removed' });
    await assert.rejects(() => owner.api.organizations.removeMember(org.id, owner.user.id), /at least one owner/);

    const declinerEmail = uniqueEmail('decliner');
    await owner.api.organizations.invite(org.id, declinerEmail, 'developer');
    const declineToken = tokenFromMail((await awaitMail(tenant, declinerEmail)).text);
    const anonymous = new ApiClient(tenant.public_key, testPlatform().routerUrl);
    assert.deepEqual(await anonymous.organizations.rejectInvitation(declineToken), { message: 'Invitation rejected' });
    await assert.rejects(() => anonymous.organizations.rejectInvitation(declineToken), /already rejected/);
  });
});
