import assert from 'node:assert/strict';
import { gql, rest, uniqueEmail, uniqueIp } from '../helpers/client';
import { createTenant, registerUser, tokenFromMail, type TestTenant, type TestUser } from '../helpers/tenants';
import { awaitMail, queuedMails } from '../mail/mailbox';
import { addMember, asUser, createOrganization, expireInvitationNow, outbox, sql } from './organization-helpers';

const publicOnly = (tenant: TestTenant) => ({ apiKey: tenant.public_key, ip: uniqueIp() });

describe('organization invitations: invite, mail, accept, reject, resend, cancel, expiry', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let owner: TestUser;
  let admin: TestUser;
  let member: TestUser;
  let org: { id: string; slug: string; name: string };

  before(async () => {
    tenant = await createTenant();
    [owner, admin, member] = await Promise.all([registerUser(tenant), registerUser(tenant), registerUser(tenant)]);
    org = await createOrganization(tenant, owner, 'Invite Co');
    await addMember(tenant, org.id, owner, admin, 'admin');
    await addMember(tenant, org.id, owner, member, 'member');
  });

  it('invites by email: the mail holds a link with the token; details and pending list are public; accept joins with the role', async () => {
    const invitee = await registerUser(tenant);
    const invited = await rest('POST', `/v1/organizations/${org.id}/invite`, { email: invitee.email.toUpperCase(), role: 'developer' }, asUser(tenant, admin));
    assert.equal(invited.status, 201);
    assert.equal(invited.body.email, invitee.email);
    assert.equal(invited.body.status, 'pending');
    const expiresInDays = (Date.parse(invited.body.expires_at) - Date.now()) / 86_400_000;
    assert.ok(expiresInDays > 6.9 && expiresInDays <= 7, `expires in ${expiresInDays} days`);

    const mail = await awaitMail(tenant, invitee.email, (m) => m.kind === 'organization_invitation');
    const token = tokenFromMail(mail.text);
    assert.match(mail.text, new RegExp(`/accept-invitation\\?token=${token}`));
    assert.match(mail.subject, /Invite Co/);
    const stored = await sql(`SELECT token_hash FROM tenancy.organization_invitations WHERE id = $1`, [invited.body.id]);
    assert.notEqual(stored[0].token_hash, token, 'only a hash of the token is stored');

    const details = await rest('GET', `/v1/organizations/invitations/${token}`, undefined, publicOnly(tenant));
    assert.equal(details.status, 200);
    assert.equal(details.body.organization_name, 'Invite Co');
    assert.equal(details.body.role, 'developer');
    const pending = await rest('GET', `/v1/organizations/invitations/pending?email=${encodeURIComponent(invitee.email)}`, undefined, publicOnly(tenant));
    assert.equal(pending.status, 200);
    assert.deepEqual(pending.body.map((i: any) => i.id), [invited.body.id]);

    const accepted = await rest('POST', '/v1/organizations/accept-invitation', { token }, asUser(tenant, invitee));
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.role, 'developer');
    assert.equal(accepted.body.organization.id, org.id);
    const mine = await rest('GET', '/v1/organizations/my-organizations', undefined, asUser(tenant, invitee));
    assert.deepEqual(mine.body.organizations.map((o: any) => [o.id, o.role]), [[org.id, 'developer']]);

    const reused = await rest('POST', '/v1/organizations/accept-invitation', { token }, asUser(tenant, invitee));
    assert.equal(reused.status, 400);
    assert.match(reused.body.detail, /already accepted/);
    const types = (await outbox(tenant.tenant_id)).filter((e) => e.payload.invitationId === invited.body.id).map((e) => e.type);
    assert.deepEqual(types, ['invitation.created', 'invitation.accepted']);
  });

  it('accepting needs a signed-in user whose email the invitation names', async () => {
    const email = uniqueEmail('addressee');
    const invited = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'member' }, asUser(tenant, owner));
    const token = tokenFromMail((await awaitMail(tenant, email)).text);
    const bare = await rest('POST', '/v1/organizations/accept-invitation', { token }, publicOnly(tenant));
    assert.equal(bare.status, 401);
    const wrongUser = await registerUser(tenant);
    const mismatch = await rest('POST', '/v1/organizations/accept-invitation', { token }, asUser(tenant, wrongUser));
    assert.equal(mismatch.status, 403);
    assert.match(mismatch.body.detail, /another email/);
    const still = await sql(`SELECT status FROM tenancy.organization_invitations WHERE id = $1`, [invited.body.id]);
    assert.equal(still[0].status, 'pending');
  });

  it('reject with the public key alone; the token then no longer works', async () => {
    const email = uniqueEmail('declines');
    const invited = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'member' }, asUser(tenant, owner));
    const token = tokenFromMail((await awaitMail(tenant, email)).text);
    const rejected = await rest('POST', '/v1/organizations/reject-invitation', { token }, publicOnly(tenant));
    assert.equal(rejected.status, 200);
    assert.deepEqual(rejected.body, { message: 'Invitation rejected' });
    const again = await rest('POST', '/v1/organizations/reject-invitation', { token }, publicOnly(tenant));
    assert.equal(again.status, 400);
    const details = await rest('GET', `/v1/organizations/invitations/${token}`, undefined, publicOnly(tenant));
    assert.equal(details.body.status, 'rejected');
    const types = (await outbox(tenant.tenant_id)).filter((e) => e.payload.invitationId === invited.body.id).map((e) => e.type);
    assert.deepEqual(types, ['invitation.created', 'invitation.rejected']);
  });

  it('an expired token → 400 and a new invitation may then be sent', async () => {
    const invitee = await registerUser(tenant);
    const invited = await rest('POST', `/v1/organizations/${org.id}/invite`, { email: invitee.email, role: 'member' }, asUser(tenant, owner));
    const token = tokenFromMail((await awaitMail(tenant, invitee.email)).text);
    await expireInvitationNow(invited.body.id);
    const expired = await rest('POST', '/v1/organizations/accept-invitation', { token }, asUser(tenant, invitee));
    assert.equal(expired.status, 400);
    assert.match(expired.body.detail, /expired/);
    assert.equal((await rest('GET', `/v1/organizations/invitations/${token}`, undefined, publicOnly(tenant))).body.status, 'expired');
    const pending = await rest('GET', `/v1/organizations/invitations/pending?email=${encodeURIComponent(invitee.email)}`, undefined, publicOnly(tenant));
    assert.deepEqual(pending.body, []);
    const reinvited = await rest('POST', `/v1/organizations/${org.id}/invite`, { email: invitee.email, role: 'member' }, asUser(tenant, owner));
    assert.equal(reinvited.status, 201);
  });

  it('resend mails a new link (the old one stops working); cancel ends it', async () => {
    const email = uniqueEmail('resent');
    const invited = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'admin' }, asUser(tenant, owner));
    const first = tokenFromMail((await awaitMail(tenant, email)).text);
    const duplicate = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'admin' }, asUser(tenant, owner));
    assert.equal(duplicate.status, 409);
    const resent = await rest('POST', `/v1/organizations/${org.id}/invitations/${invited.body.id}/resend`, undefined, asUser(tenant, admin));
    assert.equal(resent.status, 200);
    const second = tokenFromMail((await awaitMail(tenant, email, (m) => tokenFromMail(m.text) !== first)).text);
    assert.equal((await rest('GET', `/v1/organizations/invitations/${first}`, undefined, publicOnly(tenant))).status, 404);
    assert.equal((await rest('GET', `/v1/organizations/invitations/${second}`, undefined, publicOnly(tenant))).body.id, invited.body.id);

    const byMember = await rest('DELETE', `/v1/organizations/${org.id}/invitations/${invited.body.id}`, undefined, asUser(tenant, member));
    assert.equal(byMember.status, 403);
    const cancelled = await rest('DELETE', `/v1/organizations/${org.id}/invitations/${invited.body.id}`, undefined, asUser(tenant, admin));
    assert.equal(cancelled.status, 200);
    assert.deepEqual(cancelled.body, { message: 'Invitation cancelled' });
    assert.equal((await rest('POST', '/v1/organizations/reject-invitation', { token: second }, publicOnly(tenant))).status, 400);
    const again = await rest('DELETE', `/v1/organizations/${org.id}/invitations/${invited.body.id}`, undefined, asUser(tenant, admin));
    assert.equal(again.status, 409);
    const types = (await outbox(tenant.tenant_id)).filter((e) => e.payload.invitationId === invited.body.id).map((e) => e.type);
    assert.deepEqual(types, ['invitation.created', 'invitation.resent', 'invitation.cancelled']);
  });

  it('bad input → 422 and no mail; a member may not invite; an admin may not invite an owner; members cannot be invited twice', async () => {
    const malformed = await rest('POST', `/v1/organizations/${org.id}/invite`, { email: 'not-an-email', role: 'member' }, asUser(tenant, owner));
    assert.equal(malformed.status, 422);
    assert.equal(malformed.body.errors[0].field, 'email');
    const email = uniqueEmail('never');
    const unknownRole = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'emperor' }, asUser(tenant, owner));
    assert.equal(unknownRole.status, 422);
    assert.equal(unknownRole.body.errors[0].field, 'role');
    const byMember = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'member' }, asUser(tenant, member));
    assert.equal(byMember.status, 403);
    const ownerByAdmin = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'owner' }, asUser(tenant, admin));
    assert.equal(ownerByAdmin.status, 403);
    assert.equal(await queuedMails(email), 0);
    const existing = await rest('POST', `/v1/organizations/${org.id}/invite`, { email: member.email, role: 'admin' }, asUser(tenant, owner));
    assert.equal(existing.status, 409);
    const pendingBad = await rest('GET', '/v1/organizations/invitations/pending?email=nope', undefined, publicOnly(tenant));
    assert.equal(pendingBad.status, 422);
    const unknownToken = await rest('GET', '/v1/organizations/invitations/no-such-token', undefined, publicOnly(tenant));
    assert.equal(unknownToken.status, 404);
    const noToken = await rest('POST', '/v1/organizations/accept-invitation', {}, asUser(tenant, member));
    assert.equal(noToken.status, 422);
    const badInvitationId = await rest('DELETE', `/v1/organizations/${org.id}/invitations/not-a-uuid`, undefined, asUser(tenant, owner));
    assert.equal(badInvitationId.status, 422);
  });

  it('Organization.invitations lists the pending ones for owners and admins only', async () => {
    const email = uniqueEmail('listed');
    const invited = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'member' }, asUser(tenant, owner));
    const query = `query($id: ID!) { organization(organizationId: $id) { name invitations { id email status } } }`;
    const asAdmin = await gql(query, { id: org.id }, asUser(tenant, admin));
    assert.equal(asAdmin.body.errors, undefined);
    assert.deepEqual(asAdmin.body.data.organization.invitations[0], { id: invited.body.id, email, status: 'pending' });
    assert.ok(asAdmin.body.data.organization.invitations.every((i: { status: string }) => i.status === 'pending'));
    const asMember = await gql(query, { id: org.id }, asUser(tenant, member));
    assert.equal(asMember.body.errors[0].extensions.code, 'FORBIDDEN');
    assert.doesNotMatch(JSON.stringify(asMember.body), new RegExp(email));
  });

  it("another tenant's keys and users see none of this tenant's invitations", async () => {
    const email = uniqueEmail('isolated');
    const invited = await rest('POST', `/v1/organizations/${org.id}/invite`, { email, role: 'member' }, asUser(tenant, owner));
    const token = tokenFromMail((await awaitMail(tenant, email)).text);
    const other = await createTenant();
    assert.equal((await rest('GET', `/v1/organizations/invitations/${token}`, undefined, publicOnly(other))).status, 404);
    assert.deepEqual((await rest('GET', `/v1/organizations/invitations/pending?email=${encodeURIComponent(email)}`, undefined, publicOnly(other))).body, []);
    assert.equal((await rest('POST', '/v1/organizations/reject-invitation', { token }, publicOnly(other))).status, 400);
    const cancel = await rest('DELETE', `/v1/organizations/${org.id}/invitations/${invited.body.id}`, undefined, { bearer: other.secret_key });
    assert.equal(cancel.status, 404);
    const invite = await rest('POST', `/v1/organizations/${org.id}/invite`, { email: uniqueEmail('x'), role: 'member' }, { bearer: other.secret_key });
    assert.equal(invite.status, 404);
  });
});
