import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { eventually, rest, uniqueIp } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { asUser, download, streamedUpload, upload } from './drive-helpers';

const FILE_KEYS = ['content_type', 'created_at', 'description', 'extra_metadata', 'file_size', 'filename', 'folder_id', 'id', 'is_shared', 'original_filename', 'storage_provider', 'tenant_id', 'updated_at', 'user_id'];
const FOLDER_KEYS = ['created_at', 'id', 'name', 'parent_id', 'path', 'tenant_id', 'updated_at', 'user_id'];

const FILLED = 5 * 1024 ** 3 - 6000;
const driveDir = () => path.join(testPlatform().env.DATA_DIR, 'drive');
const storedPath = (tenantId: string, fileId: string) => path.join(driveDir(), tenantId, fileId);
const storedFiles = (tenantId: string) => (fs.existsSync(path.join(driveDir(), tenantId)) ? fs.readdirSync(path.join(driveDir(), tenantId)) : []);
const spooled = () => (fs.existsSync(path.join(driveDir(), '.spool')) ? fs.readdirSync(path.join(driveDir(), '.spool')) : []);

describe('drive (/v1/user/files, 001_… section files)', () => {
  let tenant: TestTenant;
  let user: TestUser;
  let other: TestUser;
  const me = () => asUser(tenant, user);

  before(async () => {
    tenant = await createTenant();
    [user, other] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
  });

  it('uploads a file (multipart, 201) and downloads it byte for byte with a safe Content-Disposition', async () => {
    const bytes = randomBytes(300_000);
    const up = await upload(me(), bytes, '../../évil<script>.pdf', 'application/pdf', '?description=Quarterly');
    assert.equal(up.status, 201, JSON.stringify(up.body));
    assert.equal(up.body.message, 'File uploaded successfully');
    const file = up.body.file;
    assert.deepEqual(Object.keys(file).sort(), FILE_KEYS);
    assert.equal(file.user_id, user.id);
    assert.equal(file.tenant_id, tenant.tenant_id);
    assert.equal(file.folder_id, null);
    assert.equal(file.file_size, bytes.length);
    assert.equal(file.content_type, 'application/pdf');
    assert.equal(file.storage_provider, 'local');
    assert.equal(file.description, 'Quarterly');
    assert.equal(file.original_filename, 'évil<script>.pdf'); // busboy keeps the last path segment
    assert.equal(file.filename, 'évil_script_.pdf');
    assert.ok(fs.existsSync(storedPath(tenant.tenant_id, file.id)));

    const meta = await rest('GET', `/v1/user/files/${file.id}`, undefined, me());
    assert.equal(meta.status, 200);
    assert.deepEqual(meta.body, file);

    const got = await download(me(), `/v1/user/files/${file.id}/download`);
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(bytes), 'downloaded bytes differ');
    assert.equal(got.headers.get('content-type'), 'application/pdf');
    assert.equal(got.headers.get('content-length'), String(bytes.length));
    assert.equal(got.headers.get('accept-ranges'), 'bytes');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const disposition = got.headers.get('content-disposition')!;
    assert.match(disposition, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    assert.doesNotMatch(disposition, /[\r\n]/);
    assert.ok(disposition.includes(`filename*=UTF-8''${encodeURIComponent(file.filename)}`));
  });

  it('answers HTTP Range requests with 206 and Content-Range; an unsatisfiable range is 416', async () => {
    const bytes = randomBytes(10_000);
    const { body } = await upload(me(), bytes, 'range.bin', 'application/octet-stream');
    const url = `/v1/user/files/${body.file.id}/download`;
    const part = await download(me(), url, { range: 'bytes=100-1099' });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 100-1099/10000');
    assert.equal(part.headers.get('content-length'), '1000');
    assert.ok(part.bytes.equals(bytes.subarray(100, 1100)));
    const suffix = await download(me(), url, { range: 'bytes=-10' });
    assert.equal(suffix.status, 206);
    assert.ok(suffix.bytes.equals(bytes.subarray(9990)));
    const open = await download(me(), url, { range: 'bytes=9000-' });
    assert.equal(open.headers.get('content-range'), 'bytes 9000-9999/10000');
    assert.ok(open.bytes.equals(bytes.subarray(9000)));
    for (const range of ['bytes=10000-', 'bytes=500-100', 'bytes=abc']) {
      const bad = await download(me(), url, { range });
      assert.equal(bad.status, 416, range);
      assert.equal(bad.headers.get('content-range'), 'bytes */10000');
      assert.match(bad.json.detail, /range/i);
    }
  });

  it('lists with a folder filter, moves between folders and root, deletes (204) with the stored bytes', async () => {
    const owner = asUser(tenant, await registerUser(tenant));
    const folder = await rest('POST', '/v1/user/files/folders', { name: 'Docs' }, owner);
    assert.equal(folder.status, 201);
    const inFolder = await upload(owner, Buffer.from('in folder'), 'a.txt', 'text/plain', `?folder_id=${folder.body.id}`);
    assert.equal(inFolder.body.file.folder_id, folder.body.id);
    const atRoot = await upload(owner, Buffer.from('at root'), 'b.txt', 'text/plain');
    const root = await rest('GET', '/v1/user/files', undefined, owner);
    assert.equal(root.status, 200);
    assert.deepEqual(Object.keys(root.body).sort(), ['files', 'limit', 'skip', 'total']);
    assert.deepEqual(root.body.files.map((f: any) => f.id), [atRoot.body.file.id]);
    assert.deepEqual({ total: root.body.total, skip: root.body.skip, limit: root.body.limit }, { total: 1, skip: 0, limit: 20 });
    const docs = await rest('GET', `/v1/user/files?folder_id=${folder.body.id}&limit=5`, undefined, owner);
    assert.deepEqual(docs.body.files.map((f: any) => f.id), [inFolder.body.file.id]);
    assert.equal(docs.body.limit, 5);
    assert.equal((await rest('GET', '/v1/user/files?limit=101', undefined, owner)).status, 422);

    const moved = await rest('PATCH', `/v1/user/files/${atRoot.body.file.id}/move`, { folder_id: folder.body.id }, owner);
    assert.equal(moved.status, 200);
    assert.equal(moved.body.folder_id, folder.body.id);
    assert.deepEqual(Object.keys(moved.body).sort(), FILE_KEYS);
    const back = await rest('PATCH', `/v1/user/files/${atRoot.body.file.id}/move`, { folder_id: null }, owner);
    assert.equal(back.body.folder_id, null);
    assert.equal((await rest('PATCH', `/v1/user/files/${atRoot.body.file.id}/move`, { folder_id: '00000000-0000-0000-0000-000000000000' }, owner)).status, 404);

    const id = atRoot.body.file.id;
    assert.ok(fs.existsSync(storedPath(tenant.tenant_id, id)));
    const deleted = await rest('DELETE', `/v1/user/files/${id}`, undefined, owner);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined);
    assert.equal((await rest('GET', `/v1/user/files/${id}`, undefined, owner)).status, 404);
    assert.equal((await download(owner, `/v1/user/files/${id}/download`)).status, 404);
    assert.equal(fs.existsSync(storedPath(tenant.tenant_id, id)), false);
  });

  it('folders: nested with a materialized path, listed by parent, renamed with their subtree, deleted only when empty', async () => {
    const owner = asUser(tenant, await registerUser(tenant));
    const documents = (await rest('POST', '/v1/user/files/folders', { name: 'Documents' }, owner)).body;
    assert.deepEqual(Object.keys(documents).sort(), FOLDER_KEYS);
    assert.deepEqual([documents.path, documents.parent_id], ['/Documents', null]);
    const reports = await rest('POST', '/v1/user/files/folders', { name: 'Reports', parent_id: documents.id }, owner);
    assert.equal(reports.status, 201);
    assert.equal(reports.body.path, '/Documents/Reports');
    const deep = (await rest('POST', '/v1/user/files/folders', { name: '2026', parent_id: reports.body.id }, owner)).body;
    assert.equal(deep.path, '/Documents/Reports/2026');

    assert.equal((await rest('POST', '/v1/user/files/folders', { name: 'documents' }, owner)).status, 409);
    assert.equal((await rest('POST', '/v1/user/files/folders', { name: 'x'.repeat(256) }, owner)).status, 422);
    assert.equal((await rest('POST', '/v1/user/files/folders', { name: 'a/b' }, owner)).status, 422);
    assert.equal((await rest('POST', '/v1/user/files/folders', {}, owner)).status, 422);
    assert.equal((await rest('POST', '/v1/user/files/folders', { name: 'Orphan', parent_id: '00000000-0000-0000-0000-000000000000' }, owner)).status, 404);

    const roots = await rest('GET', '/v1/user/files/folders', undefined, owner);
    assert.deepEqual(roots.body.folders.map((f: any) => f.name), ['Documents']);
    const children = await rest('GET', `/v1/user/files/folders?parent_id=${documents.id}`, undefined, owner);
    assert.deepEqual(children.body.folders.map((f: any) => f.path), ['/Documents/Reports']);

    const renamed = await rest('PATCH', `/v1/user/files/folders/${documents.id}`, { name: 'Papers' }, owner);
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.path, '/Papers');
    const below = await rest('GET', `/v1/user/files/folders?parent_id=${reports.body.id}`, undefined, owner);
    assert.deepEqual(below.body.folders.map((f: any) => f.path), ['/Papers/Reports/2026']);

    const notEmpty = await rest('DELETE', `/v1/user/files/folders/${documents.id}`, undefined, owner);
    assert.equal(notEmpty.status, 409);
    assert.match(notEmpty.body.detail, /not empty/);
    const file = await upload(owner, Buffer.from('x'), 'x.txt', 'text/plain', `?folder_id=${deep.id}`);
    assert.equal((await rest('DELETE', `/v1/user/files/folders/${deep.id}`, undefined, owner)).status, 409);
    await rest('DELETE', `/v1/user/files/${file.body.file.id}`, undefined, owner);
    assert.equal((await rest('DELETE', `/v1/user/files/folders/${deep.id}`, undefined, owner)).status, 204);
    assert.equal((await rest('DELETE', `/v1/user/files/folders/${deep.id}`, undefined, owner)).status, 404);
  });

  it('shared tenant files: only those the tenant marked shared, read-only; anything else is 404', async () => {
    const server = { bearer: tenant.secret_key, ip: uniqueIp() };
    const sharedBytes = randomBytes(2048);
    const shared = await upload(server, sharedBytes, 'handbook.pdf', 'application/pdf', '?is_shared=true');
    assert.equal(shared.status, 201, JSON.stringify(shared.body));
    assert.deepEqual([shared.body.file.user_id, shared.body.file.is_shared], [null, true]);
    const hidden = await upload(server, Buffer.from('internal'), 'internal.txt', 'text/plain');
    assert.equal(hidden.body.file.is_shared, false);

    const list = await rest('GET', '/v1/user/files/shared', undefined, me());
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.files.map((f: any) => f.id), [shared.body.file.id]);
    assert.equal(list.body.total, 1);
    const got = await download(me(), `/v1/user/files/shared/${shared.body.file.id}/download`);
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(sharedBytes));
    assert.equal((await download(me(), `/v1/user/files/shared/${hidden.body.file.id}/download`)).status, 404);
    // The tenant's files are not the end user's own, shared or not.
    assert.equal((await rest('GET', `/v1/user/files/${shared.body.file.id}`, undefined, me())).status, 404);
    assert.equal((await rest('DELETE', `/v1/user/files/${shared.body.file.id}`, undefined, me())).status, 404);
    // An end user's own file is never a shared one, and end users cannot share.
    const own = await upload(me(), Buffer.from('mine'), 'mine.txt', 'text/plain');
    assert.equal((await download(me(), `/v1/user/files/shared/${own.body.file.id}/download`)).status, 404);
    assert.equal((await upload(me(), Buffer.from('x'), 'x.txt', 'text/plain', '?is_shared=true')).status, 422);
    // Unsharing hides it again.
    const unshare = await rest('POST', '/graphql', { query: `mutation { setDriveFileShared(id: "${shared.body.file.id}", isShared: false) { isShared } }` }, server);
    assert.equal(unshare.body.data.setDriveFileShared.isShared, false);
    const endUserShares = await rest('POST', '/graphql', { query: `mutation { setDriveFileShared(id: "${own.body.file.id}", isShared: true) { isShared } }` }, me());
    assert.equal(endUserShares.body.errors[0].extensions.code, 'INSUFFICIENT_SCOPE');
    assert.equal((await download(me(), `/v1/user/files/shared/${shared.body.file.id}/download`)).status, 404);
  });

  it('announces every change as a typed event, in the same transaction as the write', async () => {
    const person = await registerUser(tenant);
    const owner = asUser(tenant, person);
    const folder = (await rest('POST', '/v1/user/files/folders', { name: 'Events' }, owner)).body;
    const file = (await upload(owner, Buffer.alloc(1234, 7), 'e.bin', 'application/octet-stream', `?folder_id=${folder.id}`)).body.file;
    await rest('PATCH', `/v1/user/files/${file.id}/move`, { folder_id: null }, owner);
    await rest('PATCH', `/v1/user/files/folders/${folder.id}`, { name: 'Renamed' }, owner);
    await rest('DELETE', `/v1/user/files/${file.id}`, undefined, owner);
    await rest('DELETE', `/v1/user/files/folders/${folder.id}`, undefined, owner);
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT type, payload FROM platform.outbox WHERE tenant_id = $1 AND payload->>'userId' = $2 AND (type LIKE 'file.%' OR type LIKE 'folder.%') ORDER BY created_at`, [tenant.tenant_id, person.id]);
      assert.deepEqual(rows.map((r) => r.type), ['folder.created', 'file.uploaded', 'file.moved', 'folder.renamed', 'file.deleted', 'folder.deleted']);
      assert.deepEqual(rows[1].payload, { fileId: file.id, userId: person.id, folderId: folder.id, bytes: 1234, contentType: 'application/octet-stream' });
      assert.deepEqual([rows[2].payload.previousFolderId, rows[2].payload.folderId], [folder.id, null]);
      assert.deepEqual([rows[3].payload.previousPath, rows[3].payload.path], ['/Events', '/Renamed']);
      assert.equal(rows[4].payload.bytes, 1234);
    } finally {
      await db.end();
    }
  });

  it("another user's or another tenant's files and folders are 404", async () => {
    const mine = await upload(me(), Buffer.from('private'), 'p.txt', 'text/plain');
    const id = mine.body.file.id;
    const folder = (await rest('POST', '/v1/user/files/folders', { name: `Private-${id}` }, me())).body;
    const stranger = await createTenant();
    const outsiders = [asUser(tenant, other), asUser(stranger, await registerUser(stranger)), { bearer: stranger.secret_key, ip: uniqueIp() }];
    for (const outsider of outsiders) {
      assert.equal((await rest('GET', `/v1/user/files/${id}`, undefined, outsider)).status, 404);
      assert.equal((await download(outsider, `/v1/user/files/${id}/download`)).status, 404);
      assert.equal((await download(outsider, `/v1/user/files/${id}/download`, { range: 'bytes=0-1' })).status, 404);
      assert.equal((await rest('PATCH', `/v1/user/files/${id}/move`, { folder_id: null }, outsider)).status, 404);
      assert.equal((await rest('DELETE', `/v1/user/files/${id}`, undefined, outsider)).status, 404);
      assert.equal((await rest('PATCH', `/v1/user/files/folders/${folder.id}`, { name: 'Mine now' }, outsider)).status, 404);
      assert.equal((await rest('DELETE', `/v1/user/files/folders/${folder.id}`, undefined, outsider)).status, 404);
      assert.equal((await upload(outsider, Buffer.from('x'), 'x.txt', 'text/plain', `?folder_id=${folder.id}`)).status, 404);
      const listed = await rest('GET', `/v1/user/files?folder_id=${folder.id}`, undefined, outsider);
      assert.equal(listed.body.total, 0);
    }
    assert.equal((await rest('GET', `/v1/user/files/${id}`, undefined, me())).status, 200);
    assert.equal((await rest('GET', '/v1/user/files/not-a-uuid', undefined, me())).status, 404);
  });

  it('refuses requests without an end user or a multipart file, in the /v1 error shape', async () => {
    assert.equal((await upload({ ip: uniqueIp() }, Buffer.from('x'))).status, 401);
    const keyOnly = await upload({ apiKey: tenant.public_key, ip: uniqueIp() }, Buffer.from('x'));
    assert.equal(keyOnly.status, 401);
    assert.ok(keyOnly.body.detail);
    const noFile = await rest('POST', '/v1/user/files', { file: 'x' }, me());
    assert.equal(noFile.status, 422);
    assert.match(noFile.body.detail, /file/);
    assert.equal((await upload(me(), Buffer.from('x'), 'x.txt', 'text/plain', '?folder_id=nope')).status, 422);
    assert.equal((await download({ apiKey: tenant.public_key, ip: uniqueIp() }, '/v1/user/files/00000000-0000-0000-0000-000000000000/download')).status, 401);
  });

  it('describes the byte endpoints in the /v1 OpenAPI document beside the operations', async () => {
    const { paths } = (await rest('GET', '/v1/openapi.json')).body;
    assert.ok(paths['/v1/user/files'].post.requestBody.content['multipart/form-data']);
    assert.ok(paths['/v1/user/files'].get, 'the list stays');
    assert.ok(paths['/v1/user/files/{file_id}/download'].get.responses['206']);
    assert.ok(paths['/v1/user/files/shared/{file_id}/download'].get);
    assert.ok(paths['/v1/user/files/folders/{folder_id}'].patch);
  });

  it("refuses an upload past the plan's storage left (413) and leaves nothing behind, streamed or not; the storage meter follows uploads and deletes", async () => {
    const small = await createTenant({ tier: 'starter' });
    const owner = asUser(small, await registerUser(small));
    const server = { bearer: small.secret_key, ip: uniqueIp() };
    const storage = async () => (await rest('GET', '/api/v1/entitlements/check?feature=storage', undefined, server)).body.data;

    const kept = await upload(owner, randomBytes(5000), 'kept.bin', 'application/octet-stream');
    assert.equal(kept.status, 201);
    await eventually(async () => ((await storage()).current_usage === 5000 ? true : undefined));

    // Fill the starter tier's 5 GiB but 1,000 bytes.
    for (const quantity of [1024 ** 3, 1024 ** 3, 1024 ** 3, 1024 ** 3, 1024 ** 3 - 6000]) {
      const fill = await rest('POST', '/api/v1/entitlements/usage', { feature: 'storage', quantity }, server);
      assert.equal(fill.status, 200, JSON.stringify(fill.body));
    }
    const declared = await upload(owner, randomBytes(200_000), 'declared.bin', 'application/octet-stream');
    assert.equal(declared.status, 413);
    assert.match(declared.body.detail, /storage/);
    const streamed = await streamedUpload(owner, 3 * 1024 * 1024, 'streamed.bin');
    assert.equal(streamed.status, 413);
    const list = await rest('GET', '/v1/user/files', undefined, owner);
    assert.deepEqual(list.body.files.map((f: any) => f.id), [kept.body.file.id]);
    assert.deepEqual(storedFiles(small.tenant_id), [kept.body.file.id]);
    assert.deepEqual(spooled(), []);
    const fits = await upload(owner, randomBytes(900), 'fits.bin', 'application/octet-stream');
    assert.equal(fits.status, 201);

    assert.equal((await rest('DELETE', `/v1/user/files/${kept.body.file.id}`, undefined, owner)).status, 204);
    await eventually(async () => ((await storage()).current_usage === FILLED + 900 ? true : undefined));
  });

  it("counts uploads and downloads in the caller's rate limit (one budget with every other request), then 429 as {\"detail\": …}", async () => {
    const free = await createTenant({ tier: 'free' });
    const owner = asUser(free, await registerUser(free));
    const mine = await upload(owner, Buffer.from('limited'), 'l.txt', 'text/plain');
    assert.equal(mine.status, 201);
    assert.equal(mine.headers.get('x-ratelimit-limit'), '60');
    const url = `/v1/user/files/${mine.body.file.id}/download`;
    // Stay inside one minute's window: the counter is per minute.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    let answer = await download(owner, url);
    for (let calls = 1; answer.status === 200 && calls <= 60; calls++) answer = await download(owner, url);
    assert.equal(answer.status, 429);
    assert.deepEqual(Object.keys(answer.json), ['detail']);
    assert.ok(Number(answer.headers.get('retry-after')) >= 1);
    const refused = await upload(owner, Buffer.from('more'), 'm.txt', 'text/plain');
    assert.equal(refused.status, 429);
    assert.equal((await rest('GET', '/v1/user/files', undefined, owner)).status, 429);
    assert.equal((await rest('GET', '/v1/user/files', undefined, asUser(tenant, user))).status, 200, "another tenant's budget is its own");
  });
});
