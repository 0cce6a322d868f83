import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INTERNAL_IDENTITY_HEADER, internalOperation } from '../../src/http/internal-request';
import { signIdentity, type Identity } from '../../src/identity';
import { DriveFile } from '../../subgraphs/entities/drive/drive-file.entity';
import { LocalFileStorage } from '../../subgraphs/entities/drive/storage/local-storage';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser } from '../helpers/tenants';
import { asUser, upload } from './drive-helpers';
import { multipart, startDriveRoutes, type DriveRouteHarness } from './drive-route-harness';

describe("drive: the entities subgraph's internal byte routes", () => {
  const secret = () => testPlatform().config.internalSecret;
  const entitiesBase = () => testPlatform().config.subgraphUrls.entities.replace(/\/graphql$/, '');

  it('answer only a request carrying the router-signed identity for exactly that request', async () => {
    const tenant = await createTenant();
    const user = await registerUser(tenant);
    const file = (await upload(asUser(tenant, user), Buffer.from('signed bytes'), 's.txt', 'text/plain')).body.file;
    const identity: Identity = { requestId: 'internal-test', ip: '127.0.0.1', tenantId: tenant.tenant_id, userId: user.id, keyType: 'public', scopes: [] };
    const target = `/internal/drive/files/${file.id}/content`;
    const get = (token?: string) => fetch(entitiesBase() + target, { headers: token ? { [INTERNAL_IDENTITY_HEADER]: token } : {} });

    assert.equal((await get()).status, 401);
    assert.equal((await get(signIdentity(identity, internalOperation('GET', '/internal/drive/files'), secret()))).status, 401, 'signed for another request');
    assert.equal((await get(signIdentity(identity, internalOperation('GET', target), 'another-secret-0123456789-0123456789'))).status, 401);
    const ok = await get(signIdentity(identity, internalOperation('GET', target), secret()));
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'signed bytes');
    const stranger = { ...identity, userId: randomUUID() };
    assert.equal((await get(signIdentity(stranger, internalOperation('GET', target), secret()))).status, 404);
  });

  describe('DRIVE_MAX_UPLOAD_BYTES (a route with a 1,000-byte limit, on the test database)', () => {
    let harness: DriveRouteHarness;
    let root: string;
    const tenantId = randomUUID();
    const identity: Identity = { requestId: 'limit-test', ip: '127.0.0.1', tenantId, userId: randomUUID(), keyType: 'public', scopes: [] };

    before(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'drive-limit-'));
      harness = await startDriveRoutes(new LocalFileStorage(root), { maxUploadBytes: 1000, spoolDir: path.join(root, '.spool') });
    });
    after(async () => {
      await harness?.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    const post = (size: number, chunked = false) => {
      const { body, contentType } = multipart(Buffer.alloc(size, 1));
      const headers: Record<string, string> = { 'content-type': contentType, ...harness.signed(identity, 'POST', '/internal/drive/files') };
      const stream = new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(body)), c.close()) });
      return fetch(`${harness.url}/internal/drive/files`, { method: 'POST', headers, body: chunked ? stream : new Uint8Array(body), duplex: 'half' } as RequestInit);
    };
    const leftBehind = async () => ({ rows: await harness.dataSource.getRepository(DriveFile).countBy({ tenantId }), files: fs.readdirSync(root).filter((f) => f !== '.spool'), spool: fs.existsSync(path.join(root, '.spool')) ? fs.readdirSync(path.join(root, '.spool')) : [] });

    it('takes a file at the limit', async () => {
      const answer = await post(1000);
      assert.equal(answer.status, 201);
      assert.equal((await answer.json()).file.file_size, 1000);
      assert.deepEqual((await leftBehind()).rows, 1);
    });

    it('refuses one byte more with 413, read to the end or refused from its Content-Length, and leaves nothing behind', async () => {
      const before = await leftBehind();
      for (const [size, chunked] of [[1001, true], [100_000, false], [100_000, true]] as const) {
        const answer = await post(size, chunked);
        assert.equal(answer.status, 413, `${size} bytes, chunked: ${chunked}`);
        const body = await answer.json();
        assert.equal(body.error, 'PAYLOAD_TOO_LARGE');
        assert.match(body.message, /1000 bytes/);
      }
      assert.deepEqual(await leftBehind(), { ...before, spool: [] });
    });
  });
});
