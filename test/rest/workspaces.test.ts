import assert from 'node:assert/strict';
import { gqlData, rest } from '../helpers/client';
import { makeApiKey } from '../helpers/factory';
import { testPlatform } from '../helpers/global';
import { createTenant } from '../helpers/tenants';
import { eventsWith, signedInAdmin, type TestAdmin } from '../admin/admin-helpers';

const as = (admin: TestAdmin) => ({ bearer: admin.token });

/** The workspace's own events (the workspace is their tenant). */
async function eventsOf(workspaceId: string) {
  return (await eventsWith('workspaceId', workspaceId)).map(({ type, payload }) => ({ type, payload }));
}

async function createWorkspace(admin: TestAdmin, body: Record<string, unknown>) {
  const created = await rest('POST', '/api/v1/workspaces', body, as(admin));
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.data as { id: string; name: string; slug: string; tier: string; settings: Record<string, unknown> };
}

describe('workspaces on /api/v1/workspaces (000 "Workspaces")', function () {
  this.timeout(60_000);

  it('an admin creates workspaces (slug generated when absent), becomes owner and lists only its own', async () => {
    const admin = await signedInAdmin('owner');
    const stranger = await signedInAdmin('stranger');
    const name = `Acme Corporation ${admin.username}`;
    const created = await rest('POST', '/api/v1/workspaces', { name, tier: 'business' }, as(admin));
    assert.equal(created.status, 201);
    assert.equal(created.body.message, 'Workspace created successfully.');
    assert.equal(created.body.data.slug, `acme-corporation-${admin.username}`);
    assert.equal(created.body.data.tier, 'business');
    const second = await createWorkspace(admin, { name: 'Second', slug: `second-${admin.username}` });
    assert.equal(second.tier, 'free');
    await createWorkspace(stranger, { name: 'Not yours' });

    const list = await rest('GET', '/api/v1/workspaces?per_page=1&sort=-created_at', undefined, as(admin));
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((w: { id: string }) => w.id), [second.id]);
    assert.equal(list.body.meta.total, 2);
    assert.equal(list.body.meta.last_page, 2);
    assert.match(list.body.links.next, /\/api\/v1\/workspaces\?per_page=1&sort=-created_at&page=2$/);
    const all = await rest('GET', '/api/v1/workspaces', undefined, as(admin));
    assert.deepEqual(all.body.data.map((w: { name: string }) => w.name).sort(), [name, 'Second'].sort());

    assert.deepEqual((await eventsOf(second.id)).map((e) => [e.type, e.payload.ownerAdminId]), [['workspace.created', admin.id]]);
  });

  it("another admin's workspace, a malformed id or an unknown one is 404 not_found, for reads and writes", async () => {
    const admin = await signedInAdmin();
    const other = await signedInAdmin();
    const theirs = await createWorkspace(other, { name: 'Theirs' });
    for (const id of [theirs.id, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const get = await rest('GET', `/api/v1/workspaces/${id}`, undefined, as(admin));
      assert.equal(get.status, 404, id);
      assert.equal(get.body.error, 'not_found');
      assert.equal((await rest('PATCH', `/api/v1/workspaces/${id}`, { name: 'Mine now' }, as(admin))).status, 404);
      assert.equal((await rest('DELETE', `/api/v1/workspaces/${id}`, undefined, as(admin))).status, 404);
    }
    assert.equal((await rest('GET', `/api/v1/workspaces/${theirs.id}`, undefined, as(other))).body.data.name, 'Theirs');
  });

  it('a slug in use is 409; bad input is 422 naming the fields; nothing is written', async () => {
    const admin = await signedInAdmin();
    const first = await createWorkspace(admin, { name: 'Taken', slug: `taken-${admin.username}` });
    const duplicate = await rest('POST', '/api/v1/workspaces', { name: 'Again', slug: first.slug }, as(admin));
    assert.equal(duplicate.status, 409);
    assert.deepEqual(Object.keys(duplicate.body), ['error', 'message']);
    const invalid = await rest('POST', '/api/v1/workspaces', { name: '', slug: 'Not A Slug', tier: 'platinum' }, as(admin));
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.error, 'validation_failed');
    assert.deepEqual(Object.keys(invalid.body.errors).sort(), ['name', 'slug', 'tier']);
    // The generated slug steps around one in use instead of failing.
    const generated = await createWorkspace(admin, { name: first.slug });
    assert.notEqual(generated.slug, first.slug);
    assert.ok(generated.slug.startsWith(`${first.slug}-`));
    assert.equal((await rest('GET', '/api/v1/workspaces', undefined, as(admin))).body.meta.total, 2);
  });

  it('PATCH merges settings instead of replacing them (null removes a key) and emits workspace.updated', async () => {
    const admin = await signedInAdmin();
    const workspace = await createWorkspace(admin, { name: 'Settings', settings: { timezone: 'UTC', locale: 'en_GB', theme: { color: 'blue', density: 'compact' } } });
    const patched = await rest('PATCH', `/api/v1/workspaces/${workspace.id}`, { name: 'Renamed', settings: { timezone: 'Europe/London', locale: null, theme: { color: 'red' } } }, as(admin));
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.data.name, 'Renamed');
    assert.deepEqual(patched.body.data.settings, { timezone: 'Europe/London', theme: { color: 'red', density: 'compact' } });
    assert.deepEqual((await rest('GET', `/api/v1/workspaces/${workspace.id}`, undefined, as(admin))).body.data.settings, patched.body.data.settings);
    const events = await eventsOf(workspace.id);
    assert.deepEqual(events.at(-1), { type: 'workspace.updated', payload: { workspaceId: workspace.id, changed: ['name', 'settings'] } });
  });

  it('an API key reads and updates only its own workspace, with the documented scopes; it cannot create one', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const reader = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['workspaces:read'] });
    const list = await rest('GET', '/api/v1/workspaces', undefined, { bearer: reader });
    assert.deepEqual(list.body.data.map((w: { id: string }) => w.id), [tenant.tenant_id]);
    assert.equal((await rest('GET', `/api/v1/workspaces/${tenant.tenant_id}`, undefined, { bearer: reader })).status, 200);
    assert.equal((await rest('GET', `/api/v1/workspaces/${other.tenant_id}`, undefined, { bearer: reader })).status, 404);

    const denied = await rest('PATCH', `/api/v1/workspaces/${tenant.tenant_id}`, { tier: 'pro' }, { bearer: reader });
    assert.equal(denied.status, 403);
    assert.match(denied.body.message, /workspaces:write/);
    const writer = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['workspaces:write'] });
    assert.equal((await rest('PATCH', `/api/v1/workspaces/${tenant.tenant_id}`, { tier: 'pro' }, { bearer: writer })).body.data.tier, 'pro');
    assert.equal((await rest('PATCH', `/api/v1/workspaces/${other.tenant_id}`, { tier: 'pro' }, { bearer: writer })).status, 404);

    const create = await rest('POST', '/api/v1/workspaces', { name: 'By key' }, { bearer: tenant.secret_key });
    assert.equal(create.status, 401, 'creating a workspace needs a tenant admin session');
    assert.equal((await rest('GET', '/api/v1/workspaces', undefined, { apiKey: tenant.public_key, origin: 'https://app.example' })).status, 403);
  });

  it('DELETE answers 204 with no body (owners only); the workspace, its keys and its sessions stop working', async () => {
    const admin = await signedInAdmin();
    const workspace = await createWorkspace(admin, { name: 'Doomed' });
    const key = await makeApiKey(workspace.id, { type: 'secret', scopes: ['*'] });
    assert.equal((await rest('GET', '/api/v1/workspaces', undefined, { bearer: key })).status, 200);

    const deleted = await fetch(`${testPlatform().routerUrl}/api/v1/workspaces/${workspace.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin.token}` } });
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), '');
    assert.equal(deleted.headers.get('content-length'), null);
    assert.equal((await rest('GET', `/api/v1/workspaces/${workspace.id}`, undefined, as(admin))).status, 404);
    assert.equal((await rest('GET', '/api/v1/workspaces', undefined, as(admin))).body.meta.total, 0);
    assert.equal((await rest('GET', '/api/v1/workspaces', undefined, { bearer: key })).status, 401);
    assert.equal((await eventsOf(workspace.id)).at(-1)?.type, 'workspace.deleted');
  });

  it('an admin retrying a create with the same Idempotency-Key gets the first answer, and one workspace', async () => {
    const admin = await signedInAdmin();
    const retry = { ...as(admin), headers: { 'idempotency-key': '6f1c1e9e-6d3b-4c55-9a0e-3f1c9c7f2b10' } };
    const first = await rest('POST', '/api/v1/workspaces', { name: 'Once' }, retry);
    const second = await rest('POST', '/api/v1/workspaces', { name: 'Once' }, retry);
    assert.equal(first.status, 201);
    assert.deepEqual([second.status, second.body], [201, first.body]);
    assert.equal((await rest('GET', '/api/v1/workspaces', undefined, as(admin))).body.meta.total, 1);
  });

  it('the same workspaces through GraphQL, for an admin session', async () => {
    const admin = await signedInAdmin();
    const workspace = await createWorkspace(admin, { name: 'Graph' });
    const data = await gqlData('{ workspaces { items { id slug tier settings } total } }', {}, as(admin));
    assert.deepEqual(data.workspaces, { items: [{ id: workspace.id, slug: workspace.slug, tier: 'free', settings: {} }], total: 1 });
  });
});
