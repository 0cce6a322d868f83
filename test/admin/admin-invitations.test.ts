import assert from 'node:assert/strict';
import { eventually, gql, gqlData, rest, uniqueEmail, PASSWORD } from '../helpers/client';
import { makeApiKey } from '../helpers/factory';
import { tokenFromMail } from '../helpers/tenants';
import { signedInAdmin, type TestAdmin } from './admin-helpers';

const as = (admin: TestAdmin | string) => ({ bearer: typeof admin === 'string' ? admin : admin.token });

const INVITE = `mutation($workspaceId: ID!, $email: String!, $role: String) {
  inviteWorkspaceAdmin(workspaceId: $workspaceId, email: $email, role: $role) { id email role expiresAt }
}`;

async function workspaceOf(admin: TestAdmin, name: string): Promise<string> {
  return (await rest('POST', '/api/v1/workspaces', { name }, as(admin))).body.data.id;
}

/** The invitation token from the mail the worker delivered (read with a key of the workspace). */
async function invitationToken(workspaceId: string, email: string): Promise<string> {
  const reader = await makeApiKey(workspaceId, { type: 'secret', scopes: ['mail:read'] });
  const mail = await eventually(async () => {
    const data = await gqlData(`query($to: String) { devMailbox(to: $to, first: 1) { kind text } }`, { to: email }, as(reader));
    return data.devMailbox[0] as { kind: string; text: string } | undefined;
  });
  assert.equal(mail.kind, 'admin_invitation');
  return tokenFromMail(mail.text);
}

describe('tenant admins: invitations into workspaces; an admin may belong to several', function () {
  this.timeout(60_000);

  it('someone new accepts an emailed invitation: a new admin, signed in, member of the workspace; the token works once', async () => {
    const owner = await signedInAdmin('owner');
    const workspaceId = await workspaceOf(owner, 'Invites');
    const email = uniqueEmail('new-admin');
    const invited = await gqlData(INVITE, { workspaceId, email }, as(owner));
    assert.equal(invited.inviteWorkspaceAdmin.role, 'admin');
    const token = await invitationToken(workspaceId, email);

    const register = `mutation($token: String!, $username: String!, $password: String!) {
      registerInvitedAdmin(token: $token, username: $username, password: $password) { accessToken username }
    }`;
    const username = `invited-${Date.now().toString(36)}`;
    const session = (await gqlData(register, { token, username, password: PASSWORD })).registerInvitedAdmin;
    assert.equal(session.username, username);
    const theirs = await rest('GET', '/api/v1/workspaces', undefined, as(session.accessToken));
    assert.deepEqual(theirs.body.data.map((w: { id: string }) => w.id), [workspaceId]);
    const admins = await gqlData('query($id: ID!) { workspaceAdmins(workspaceId: $id) { username role } }', { id: workspaceId }, as(owner));
    assert.deepEqual(admins.workspaceAdmins, [
      { username: owner.username, role: 'owner' },
      { username, role: 'admin' },
    ]);

    const again = await gql(register, { token, username: `${username}-2`, password: PASSWORD });
    assert.equal(again.body.errors[0].extensions.code, 'INVITATION_INVALID');
    // An admin (not owner) may not delete the workspace.
    assert.equal((await rest('DELETE', `/api/v1/workspaces/${workspaceId}`, undefined, as(session.accessToken))).status, 403);
  });

  it('an existing admin accepts with their session and then belongs to two workspaces; only owners invite owners', async () => {
    const owner = await signedInAdmin('owner');
    const member = await signedInAdmin('member');
    const first = await workspaceOf(member, 'Member own');
    const second = await workspaceOf(owner, 'Owner own');
    const email = uniqueEmail('member');
    await gqlData(INVITE, { workspaceId: second, email, role: 'admin' }, as(owner));
    const accepted = await gqlData('mutation($token: String!) { acceptWorkspaceAdminInvitation(token: $token) { id } }', { token: await invitationToken(second, email) }, as(member));
    assert.equal(accepted.acceptWorkspaceAdminInvitation.id, second);
    const list = await rest('GET', '/api/v1/workspaces', undefined, as(member));
    assert.deepEqual(list.body.data.map((w: { id: string }) => w.id).sort(), [first, second].sort());

    const ownerInvite = await gql(INVITE, { workspaceId: second, email: uniqueEmail(), role: 'owner' }, as(member));
    assert.equal(ownerInvite.body.errors[0].extensions.code, 'FORBIDDEN');
    const stranger = await signedInAdmin('stranger');
    const notTheirs = await gql(INVITE, { workspaceId: second, email: uniqueEmail() }, as(stranger));
    assert.equal(notTheirs.body.errors[0].extensions.code, 'NOT_FOUND');
    const badEmail = await gql(INVITE, { workspaceId: second, email: 'not-an-email' }, as(owner));
    assert.equal(badEmail.body.errors[0].extensions.code, 'VALIDATION_FAILED');
  });
});
