import assert from 'node:assert/strict';
import { rest } from '../helpers/client';
import { makeApiKey } from '../helpers/factory';
import { createTenant } from '../helpers/tenants';
import { signedInAdmin, type TestAdmin } from './admin-helpers';

/** A tenant admin's session acting in one of its workspaces, named by X-Workspace-ID (000 "Common Headers"). */
const inWorkspace = (admin: TestAdmin, workspaceId: string) => ({ bearer: admin.token, headers: { 'x-workspace-id': workspaceId } });

async function newWorkspace(admin: TestAdmin): Promise<string> {
  const created = await rest('POST', '/api/v1/workspaces', { name: `Dashboard ${admin.username}` }, { bearer: admin.token });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.data.id;
}

describe('a tenant admin acting in a workspace (X-Workspace-ID)', function () {
  this.timeout(60_000);

  it('creates the first API key of a new workspace, which then works on its own', async () => {
    const admin = await signedInAdmin('ctx');
    const workspaceId = await newWorkspace(admin);
    const created = await rest('POST', '/api/v1/api-keys', { name: 'server', scopes: ['workspaces:read'] }, inWorkspace(admin, workspaceId));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const key = created.body.data.key as string;
    const own = await rest('GET', '/api/v1/workspaces', undefined, { bearer: key });
    assert.deepEqual(own.body.data.map((w: { id: string }) => w.id), [workspaceId]);
    const listed = await rest('GET', '/api/v1/api-keys', undefined, inWorkspace(admin, workspaceId));
    assert.deepEqual(listed.body.data.map((k: { name: string }) => k.name), ['server']);
  });

  it("another admin's workspace, an unknown or malformed id answers 404 and reaches nothing", async () => {
    const admin = await signedInAdmin('ctx');
    const other = await signedInAdmin('ctx');
    const theirs = await newWorkspace(other);
    const tenant = await createTenant(); // a workspace no admin belongs to
    for (const id of [theirs, tenant.tenant_id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await rest('GET', '/api/v1/api-keys', undefined, inWorkspace(admin, id));
      assert.equal(response.status, 404, id);
      assert.equal(response.body.error, 'not_found');
      const write = await rest('POST', '/api/v1/api-keys', { name: 'intruder' }, inWorkspace(admin, id));
      assert.equal(write.status, 404, id);
    }
    const theirKeys = await rest('GET', '/api/v1/api-keys', undefined, inWorkspace(other, theirs));
    assert.deepEqual(theirKeys.body.data, []);
  });

  it('a deleted workspace can no longer be acted in', async () => {
    const admin = await signedInAdmin('ctx');
    const workspaceId = await newWorkspace(admin);
    assert.equal((await rest('DELETE', `/api/v1/workspaces/${workspaceId}`, undefined, { bearer: admin.token })).status, 204);
    assert.equal((await rest('GET', '/api/v1/api-keys', undefined, inWorkspace(admin, workspaceId))).status, 404);
  });

  it('without the header an admin session has no workspace: key endpoints refuse it', async () => {
    const admin = await signedInAdmin('ctx');
    const response = await rest('GET', '/api/v1/api-keys', undefined, { bearer: admin.token });
    assert.equal(response.status, 403);
    assert.equal(response.body.error, 'access_denied');
    assert.match(response.body.message, /X-Workspace-ID/);
  });

  it("an API key naming a workspace other than its own is refused with 404, its own is accepted", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const key = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['api-keys:read'] });
    assert.equal((await rest('GET', '/api/v1/api-keys', undefined, { bearer: key, headers: { 'x-workspace-id': other.tenant_id } })).status, 404);
    assert.equal((await rest('GET', '/api/v1/api-keys', undefined, { bearer: key, headers: { 'x-workspace-id': tenant.tenant_id } })).status, 200);
  });
});
