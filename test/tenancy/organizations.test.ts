import assert from 'node:assert/strict';
import { gql, rest, uniqueIp } from '../helpers/client';
import { makeApiKey } from '../helpers/factory';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { addMember, asUser, createOrganization, outbox, sql, uniqueSlug } from './organization-helpers';

describe('organizations: create, read, update, members and roles (/v1 and GraphQL)', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let owner: TestUser;
  let admin: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let org: { id: string; slug: string; name: string };

  before(async () => {
    tenant = await createTenant();
    [owner, admin, member, outsider] = await Promise.all([registerUser(tenant), registerUser(tenant), registerUser(tenant), registerUser(tenant)]);
    org = await createOrganization(tenant, owner, 'Acme');
    await addMember(tenant, org.id, owner, admin, 'admin');
    await addMember(tenant, org.id, admin, member, 'member');
  });

  it("a new user's organizations created at once all succeed, and exactly one becomes the default", async () => {
    const founder = await registerUser(tenant);
    const created = await Promise.all(Array.from({ length: 12 }, (_, n) => n).map((n) => rest('POST', '/v1/organizations', { name: `Parallel ${n}`, slug: uniqueSlug('parallel') }, asUser(tenant, founder))));
    assert.deepEqual(created.map((c) => c.status), created.map(() => 201), JSON.stringify(created.map((c) => c.body)));
    const defaults = await sql('SELECT organization_id FROM tenancy.organization_members WHERE user_id = $1 AND is_default', [founder.id]);
    assert.equal(defaults.length, 1);
    assert.ok(created.some((c) => c.body.id === defaults[0].organization_id));
  });

  it('creates an organization: the creator is its owner, it has a default department, events are written', async () => {
    const slug = uniqueSlug('created');
    const created = await rest('POST', '/v1/organizations', { name: 'My Company', slug, description: 'Our awesome company' }, asUser(tenant, outsider));
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['created_at', 'description', 'id', 'logo_url', 'name', 'role', 'slug']);
    assert.equal(created.body.role, 'owner');
    assert.equal(created.body.slug, slug);

    const departments = await rest('GET', `/v1/organizations/${created.body.id}/departments`, undefined, asUser(tenant, outsider));
    assert.equal(departments.status, 200);
    assert.equal(departments.body.length, 1);
    assert.equal(departments.body[0].is_default, true);
    assert.equal(departments.body[0].organization_id, created.body.id);
    assert.deepEqual(departments.body[0].settings, {});

    const events = (await outbox(tenant.tenant_id)).filter((e) => e.payload.organizationId === created.body.id);
    assert.deepEqual(events.map((e) => e.type), ['organization.created', 'member.added', 'department.created']);
    assert.deepEqual(events[1].payload, { organizationId: created.body.id, userId: outsider.id, role: 'owner', via: 'creation' });
  });

  it('lists my organizations with my role in each', async () => {
    const mine = await rest('GET', '/v1/organizations/my-organizations', undefined, asUser(tenant, admin));
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.organizations.map((o: any) => [o.id, o.role]), [[org.id, 'admin']]);
  });

  it('a duplicate slug → 409, bad input → 422 per field, nothing written', async () => {
    const before = (await sql(`SELECT count(*)::int AS n FROM tenancy.organizations WHERE tenant_id = $1`, [tenant.tenant_id]))[0].n;
    const duplicate = await rest('POST', '/v1/organizations', { name: 'Again', slug: org.slug }, asUser(tenant, member));
    assert.equal(duplicate.status, 409);
    assert.match(duplicate.body.detail, /already in use/);
    const invalid = await rest('POST', '/v1/organizations', { name: '', slug: 'Not A Slug' }, asUser(tenant, member));
    assert.equal(invalid.status, 422);
    assert.deepEqual(invalid.body.errors.map((e: any) => e.field).sort(), ['name', 'slug']);
    const missing = await rest('POST', '/v1/organizations', { name: 'No slug' }, asUser(tenant, member));
    assert.equal(missing.status, 422);
    const after = (await sql(`SELECT count(*)::int AS n FROM tenancy.organizations WHERE tenant_id = $1`, [tenant.tenant_id]))[0].n;
    assert.equal(after, before);
  });

  it('get: members only; a non-member and another tenant get 404', async () => {
    const got = await rest('GET', `/v1/organizations/${org.id}`, undefined, asUser(tenant, member));
    assert.equal(got.status, 200);
    assert.equal(got.body.role, 'member');
    const stranger = await rest('GET', `/v1/organizations/${org.id}`, undefined, asUser(tenant, outsider));
    assert.equal(stranger.status, 404);
    const otherTenant = await createTenant();
    const foreigner = await registerUser(otherTenant);
    const foreign = await rest('GET', `/v1/organizations/${org.id}`, undefined, asUser(otherTenant, foreigner));
    assert.equal(foreign.status, 404);
    const foreignKey = await rest('GET', `/v1/organizations/${org.id}`, undefined, { bearer: otherTenant.secret_key });
    assert.equal(foreignKey.status, 404);
    const foreignMembers = await rest('GET', `/v1/organizations/${org.id}/members`, undefined, { bearer: otherTenant.secret_key });
    assert.equal(foreignMembers.status, 404);
    const foreignDepartments = await rest('GET', `/v1/organizations/${org.id}/departments`, undefined, { bearer: otherTenant.secret_key });
    assert.equal(foreignDepartments.status, 404);
    const foreignUpdate = await rest('PUT', `/v1/organizations/${org.id}`, { name: 'Taken over' }, { bearer: otherTenant.secret_key });
    assert.equal(foreignUpdate.status, 404);
    const malformed = await rest('GET', '/v1/organizations/not-a-uuid', undefined, asUser(tenant, member));
    assert.equal(malformed.status, 404);
  });

  it('a public key without a user token → 401 (needs the end user), a secret key without the scope → 403', async () => {
    const bare = await rest('GET', `/v1/organizations/${org.id}`, undefined, { apiKey: tenant.public_key });
    assert.equal(bare.status, 401);
    assert.match(bare.body.detail, /access token/);
    const bareMine = await rest('GET', '/v1/organizations/my-organizations', undefined, { apiKey: tenant.public_key });
    assert.equal(bareMine.status, 401);
    const usersOnly = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['users:read'] });
    const scoped = await rest('GET', `/v1/organizations/${org.id}`, undefined, { bearer: usersOnly });
    assert.equal(scoped.status, 403);
    assert.match(scoped.body.detail, /organizations:read/);
  });

  it('update: owner and admin; a member → 403 and nothing changes', async () => {
    const denied = await rest('PUT', `/v1/organizations/${org.id}`, { name: 'Hijacked' }, asUser(tenant, member));
    assert.equal(denied.status, 403);
    assert.match(denied.body.detail, /member/);
    const updated = await rest('PUT', `/v1/organizations/${org.id}`, { description: 'Updated by the admin', logo_url: 'https://cdn.example.com/logo.png' }, asUser(tenant, admin));
    assert.equal(updated.status, 200);
    assert.equal(updated.body.name, 'Acme');
    assert.equal(updated.body.description, 'Updated by the admin');
    assert.equal(updated.body.logo_url, 'https://cdn.example.com/logo.png');
    const badUrl = await rest('PUT', `/v1/organizations/${org.id}`, { logo_url: 'javascript:alert(1)' }, asUser(tenant, admin));
    assert.equal(badUrl.status, 422);
    const events = (await outbox(tenant.tenant_id)).filter((e) => e.type === 'organization.updated' && e.payload.organizationId === org.id);
    assert.deepEqual(events.map((e) => e.payload.changed), [['description', 'logoUrl']]);
  });

  it('members list with email, name and role (any member)', async () => {
    const members = await rest('GET', `/v1/organizations/${org.id}/members`, undefined, asUser(tenant, member));
    assert.equal(members.status, 200);
    assert.deepEqual(
      members.body.map((m: any) => [m.user_id, m.email, m.role, m.is_active]),
      [
        [owner.id, owner.email, 'owner', true],
        [admin.id, admin.email, 'admin', true],
        [member.id, member.email, 'member', true],
      ],
    );
    assert.deepEqual(Object.keys(members.body[0]).sort(), ['display_name', 'email', 'is_active', 'joined_at', 'role', 'user_id']);
  });

  it('role changes: admin may promote a member; unknown role → 422; only an owner touches owners; the last owner stays (409)', async () => {
    const devUser = await registerUser(tenant);
    await addMember(tenant, org.id, owner, devUser, 'member');
    const promoted = await rest('PUT', `/v1/organizations/${org.id}/members/${devUser.id}`, { role: 'developer' }, asUser(tenant, admin));
    assert.equal(promoted.status, 200);
    assert.equal(promoted.body.role, 'developer');
    const unknown = await rest('PUT', `/v1/organizations/${org.id}/members/${devUser.id}`, { role: 'superuser' }, asUser(tenant, admin));
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.errors[0].field, 'role');
    const byMember = await rest('PUT', `/v1/organizations/${org.id}/members/${devUser.id}`, { role: 'admin' }, asUser(tenant, member));
    assert.equal(byMember.status, 403);
    const adminOnOwner = await rest('PUT', `/v1/organizations/${org.id}/members/${owner.id}`, { role: 'member' }, asUser(tenant, admin));
    assert.equal(adminOnOwner.status, 403);
    const lastOwner = await rest('PUT', `/v1/organizations/${org.id}/members/${owner.id}`, { role: 'admin' }, asUser(tenant, owner));
    assert.equal(lastOwner.status, 409);
    assert.match(lastOwner.body.detail, /at least one owner/);
    const removeLast = await rest('DELETE', `/v1/organizations/${org.id}/members/${owner.id}`, undefined, asUser(tenant, owner));
    assert.equal(removeLast.status, 409);
    const notMember = await rest('PUT', `/v1/organizations/${org.id}/members/${outsider.id}`, { role: 'admin' }, asUser(tenant, owner));
    assert.equal(notMember.status, 404);
    const events = (await outbox(tenant.tenant_id)).filter((e) => e.type === 'member.role_changed' && e.payload.userId === devUser.id);
    assert.deepEqual(events.map((e) => e.payload), [{ organizationId: org.id, userId: devUser.id, previousRole: 'member', role: 'developer' }]);
  });

  it('an owner appoints a second owner, who may then demote the first', async () => {
    const orgB = await createOrganization(tenant, owner, 'Two Owners');
    await addMember(tenant, orgB.id, owner, admin, 'admin');
    const appointed = await rest('PUT', `/v1/organizations/${orgB.id}/members/${admin.id}`, { role: 'owner' }, asUser(tenant, owner));
    assert.equal(appointed.status, 200);
    const demoted = await rest('PUT', `/v1/organizations/${orgB.id}/members/${owner.id}`, { role: 'member' }, asUser(tenant, admin));
    assert.equal(demoted.status, 200);
    assert.equal(demoted.body.role, 'member');
  });

  it('racing writes: one slug, two creations → one 201, one 409; two owners demoting each other → one stays owner', async () => {
    const slug = uniqueSlug('race');
    const creations = await Promise.all([owner, admin].map((user) => rest('POST', '/v1/organizations', { name: 'Race', slug }, asUser(tenant, user))));
    assert.deepEqual(creations.map((r) => r.status).sort(), [201, 409]);
    const orgC = await createOrganization(tenant, owner, 'Two Owners Race');
    await addMember(tenant, orgC.id, owner, admin, 'owner');
    const demotions = await Promise.all([
      rest('PUT', `/v1/organizations/${orgC.id}/members/${admin.id}`, { role: 'member' }, asUser(tenant, owner)),
      rest('PUT', `/v1/organizations/${orgC.id}/members/${owner.id}`, { role: 'member' }, asUser(tenant, admin)),
    ]);
    // Whichever runs second finds itself no longer an owner (403) or the other one the last owner (409).
    const [first, second] = demotions.map((r) => r.status).sort();
    assert.equal(first, 200);
    assert.ok(second === 403 || second === 409, String(second));
    const owners = await sql(`SELECT count(*)::int AS n FROM tenancy.organization_members WHERE organization_id = $1 AND role = 'owner'`, [orgC.id]);
    assert.equal(owners[0].n, 1);
  });

  it('deactivate and remove: the member loses access; events are written', async () => {
    const leaving = await registerUser(tenant);
    const removed = await registerUser(tenant);
    await addMember(tenant, org.id, owner, leaving, 'member');
    await addMember(tenant, org.id, owner, removed, 'member');
    const deactivated = await rest('POST', `/v1/organizations/${org.id}/members/${leaving.id}/deactivate`, undefined, asUser(tenant, admin));
    assert.equal(deactivated.status, 200);
    assert.equal(deactivated.body.is_active, false);
    assert.equal((await rest('GET', `/v1/organizations/${org.id}`, undefined, asUser(tenant, leaving))).status, 404);
    const mine = await rest('GET', '/v1/organizations/my-organizations', undefined, asUser(tenant, leaving));
    assert.deepEqual(mine.body.organizations, []);

    const gone = await rest('DELETE', `/v1/organizations/${org.id}/members/${removed.id}`, undefined, asUser(tenant, admin));
    assert.equal(gone.status, 200);
    assert.deepEqual(gone.body, { message: 'Member removed' });
    assert.equal((await rest('GET', `/v1/organizations/${org.id}/members`, undefined, asUser(tenant, removed))).status, 404);
    const again = await rest('DELETE', `/v1/organizations/${org.id}/members/${removed.id}`, undefined, asUser(tenant, admin));
    assert.equal(again.status, 404);
    const types = (await outbox(tenant.tenant_id)).filter((e) => [leaving.id, removed.id].includes(e.payload.userId)).map((e) => e.type);
    assert.ok(types.includes('member.deactivated') && types.includes('member.removed'), types.join());
  });

  it('set default: the chosen organization becomes the only default', async () => {
    const second = await createOrganization(tenant, member, 'Second');
    const set = await rest('POST', `/v1/organizations/${second.id}/set-default`, undefined, asUser(tenant, member));
    assert.equal(set.status, 200);
    const defaults = await sql(`SELECT organization_id FROM tenancy.organization_members WHERE user_id = $1 AND is_default`, [member.id]);
    assert.deepEqual(defaults.map((d) => d.organization_id), [second.id]);
    const data = await gql(`{ myOrganizations { id isDefault } }`, {}, asUser(tenant, member));
    assert.deepEqual(data.body.data.myOrganizations.map((o: any) => [o.id, o.isDefault]), [[org.id, false], [second.id, true]]);
    const notMine = await rest('POST', `/v1/organizations/${second.id}/set-default`, undefined, asUser(tenant, outsider));
    assert.equal(notMine.status, 404);
  });

  it('a secret key with organizations:write manages any organization of its tenant; organizations:read only reads', async () => {
    const writer = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['organizations:write'] });
    const reader = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['organizations:read'] });
    const read = await rest('GET', `/v1/organizations/${org.id}/members`, undefined, { bearer: reader, ip: uniqueIp() });
    assert.equal(read.status, 200);
    assert.equal((await rest('GET', `/v1/organizations/${org.id}`, undefined, { bearer: reader })).body.role, null);
    const readerWrites = await rest('PUT', `/v1/organizations/${org.id}`, { name: 'Nope' }, { bearer: reader });
    assert.equal(readerWrites.status, 403);
    assert.match(readerWrites.body.detail, /organizations:write/);
    const renamed = await rest('PUT', `/v1/organizations/${org.id}`, { name: 'Acme Inc' }, { bearer: writer });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Acme Inc');
  });

  it('GraphQL: members through myOrganizations; a member cannot read invitations-only data', async () => {
    const result = await gql(`{ myOrganizations { id role members { userId email role } departments { isDefault } } }`, {}, asUser(tenant, owner));
    assert.equal(result.body.errors, undefined);
    const acme = result.body.data.myOrganizations.find((o: any) => o.id === org.id);
    assert.equal(acme.role, 'owner');
    assert.ok(acme.members.some((m: any) => m.userId === admin.id && m.email === admin.email));
    const forbidden = await gql(`mutation($id: ID!) { updateOrganization(organizationId: $id, input: { name: "X" }) { id } }`, { id: org.id }, asUser(tenant, member));
    assert.equal(forbidden.body.errors[0].extensions.code, 'FORBIDDEN');
  });
});
