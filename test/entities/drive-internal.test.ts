import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { INTERNAL_IDENTITY_HEADER, internalOperation } from '../../src/http/internal-request';
import { signIdentity, type Identity } from '../../src/identity';
import { serviceLogger } from '../../src/logger';
import { DriveFile } from '../../subgraphs/entities/drive/drive-file.entity';
import { DriveFileService } from '../../subgraphs/entities/drive/drive-file.service';
import { DriveFolder } from '../../subgraphs/entities/drive/drive-folder.entity';
import { DriveFolderService } from '../../subgraphs/entities/drive/drive-folder.service';
import { driveHttpRoutes } from '../../subgraphs/entities/drive/drive-http';
import { LocalFileStorage } from '../../subgraphs/entities/drive/storage/local-storage';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser } from '../helpers/tenants';
import { asUser, upload } from './drive-helpers';

/** A multipart body with one `file` part of `size` bytes (small: built whole). */
function multipart(size: number): { body: Buffer; contentType: string } {
  const boundary = 'limit-test-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.alloc(size, 1),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

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
    let dataSource: DataSource;
    let server: http.Server;
    let url: string;
    let root: string;
    const tenantId = randomUUID();
    const identity: Identity = { requestId: 'limit-test', ip: '127.0.0.1', tenantId, userId: randomUUID(), keyType: 'public', scopes: [] };

    before(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'drive-limit-'));
      dataSource = await createDataSource({ url: testPlatform().databaseUrl, schema: 'entities', entities: [DriveFile, DriveFolder], poolSize: 1, applicationName: 'drive-limit-test' }).initialize();
      const folders = new DriveFolderService(dataSource);
      const log = serviceLogger('drive-limit-test');
      const files = new DriveFileService(dataSource, folders, new LocalFileStorage(root), log);
      const routes = driveHttpRoutes({ files, folders, storageLeft: async () => null, maxUploadBytes: 1000, spoolDir: path.join(root, '.spool'), internalSecret: secret(), log });
      server = http.createServer((req, res) => void routes(req, res, new URL(req.url ?? '/', 'http://x')));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await dataSource?.destroy();
      fs.rmSync(root, { recursive: true, force: true });
    });

    const post = (size: number, chunked = false) => {
      const { body, contentType } = multipart(size);
      const headers: Record<string, string> = { 'content-type': contentType, [INTERNAL_IDENTITY_HEADER]: signIdentity(identity, internalOperation('POST', '/internal/drive/files'), secret()) };
      const stream = new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(body)), c.close()) });
      return fetch(`${url}/internal/drive/files`, { method: 'POST', headers, body: chunked ? stream : new Uint8Array(body), duplex: 'half' } as RequestInit);
    };
    const leftBehind = async () => ({ rows: await dataSource.getRepository(DriveFile).countBy({ tenantId }), files: fs.readdirSync(root).filter((f) => f !== '.spool'), spool: fs.existsSync(path.join(root, '.spool')) ? fs.readdirSync(path.join(root, '.spool')) : [] });

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
