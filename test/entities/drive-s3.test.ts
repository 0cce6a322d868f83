import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { DomainError } from '../../src/errors';
import { serviceLogger } from '../../src/logger';
import { DriveFileService } from '../../subgraphs/entities/drive/drive-file.service';
import { DriveFolderService } from '../../subgraphs/entities/drive/drive-folder.service';
import { createFileStorage } from '../../subgraphs/entities/drive/storage/file-storage';
import { S3FileStorage } from '../../subgraphs/entities/drive/storage/s3-storage';
import { randomUUID } from 'node:crypto';
import type { Identity } from '../../src/identity';
import { startFakeS3 } from '../helpers/fake-s3';
import { multipart, startDriveRoutes } from './drive-route-harness';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('drive storage on an S3-compatible store (official client, fake S3 on loopback)', () => {
  let s3: Awaited<ReturnType<typeof startFakeS3>>;
  let spool: string;

  before(async () => {
    s3 = await startFakeS3('drive-bucket');
    spool = fs.mkdtempSync(path.join(os.tmpdir(), 'drive-s3-'));
  });
  after(async () => {
    await s3.close();
    fs.rmSync(spool, { recursive: true, force: true });
  });

  const settings = () =>
    loadConfig({ S3_ENDPOINT: s3.endpoint, S3_BUCKET: 'drive-bucket', S3_REGION: 'eu-west-1', S3_ACCESS_KEY_ID: 'AKIDTEST', S3_SECRET_ACCESS_KEY: 'secret-test-key', S3_FORCE_PATH_STYLE: 'true' }).drive;

  it('is chosen when S3_BUCKET is set; local disk otherwise', () => {
    assert.equal(createFileStorage(settings(), spool).provider, 's3');
    assert.equal(createFileStorage(loadConfig({}).drive, spool).provider, 'local');
    assert.throws(() => loadConfig({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'only-the-id' }), /go together/);
  });

  it('puts a spooled file with its length (path-style, SigV4), reads it whole and by range, removes it', async () => {
    const store = new S3FileStorage(settings().s3!);
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const source = path.join(spool, 'upload');
    fs.writeFileSync(source, bytes);
    await store.putFile('tenant-1/file-1', source, bytes.length, 'image/png');
    assert.equal(fs.existsSync(source), false, 'the spool file is removed once stored');
    const put = s3.requests.find((r) => r.method === 'PUT')!;
    assert.equal(put.path, '/drive-bucket/tenant-1/file-1');
    assert.match(put.authorization!, /Credential=AKIDTEST\/\d{8}\/eu-west-1\/s3\/aws4_request/);
    assert.equal(s3.objects.get('tenant-1/file-1')!.contentType, 'image/png');

    assert.ok((await readAll(await store.read('tenant-1/file-1'))).equals(bytes));
    const part = await readAll(await store.read('tenant-1/file-1', { start: 1000, end: 1999 }));
    assert.ok(part.equals(bytes.subarray(1000, 2000)));
    assert.equal(s3.requests.at(-1)!.range, 'bytes=1000-1999');

    await store.remove('tenant-1/file-1');
    assert.equal(s3.objects.has('tenant-1/file-1'), false);
    await assert.rejects(store.read('tenant-1/file-1'), (error: unknown) => error instanceof DomainError && error.code === 'NOT_FOUND');
    await store.remove('tenant-1/file-1'); // deleting twice is fine (deletes are retried)
  });

  it("serves the drive's upload and ranged download from the bucket (storage_provider s3), and deletes from it", async () => {
    const harness = await startDriveRoutes(new S3FileStorage(settings().s3!), { maxUploadBytes: 10 * 1024 * 1024, spoolDir: path.join(spool, '.spool') });
    try {
      const tenantId = randomUUID();
      const identity: Identity = { requestId: 's3-test', ip: '127.0.0.1', tenantId, userId: randomUUID(), keyType: 'public', scopes: [] };
      const bytes = randomBytes(256 * 1024);
      const { body, contentType } = multipart(bytes, 'photo.png', 'image/png');
      const up = await fetch(`${harness.url}/internal/drive/files`, { method: 'POST', headers: { 'content-type': contentType, ...harness.signed(identity, 'POST', '/internal/drive/files') }, body: new Uint8Array(body) });
      assert.equal(up.status, 201);
      const { file } = await up.json();
      assert.equal(file.storage_provider, 's3');
      assert.ok(s3.objects.get(`${tenantId}/${file.id}`)!.body.equals(bytes));
      assert.deepEqual(fs.readdirSync(path.join(spool, '.spool')), [], 'no spool file left');

      const content = `/internal/drive/files/${file.id}/content`;
      const whole = await fetch(harness.url + content, { headers: harness.signed(identity, 'GET', content) });
      assert.equal(whole.status, 200);
      assert.equal(whole.headers.get('content-type'), 'image/png');
      assert.ok(Buffer.from(await whole.arrayBuffer()).equals(bytes));
      const part = await fetch(harness.url + content, { headers: { ...harness.signed(identity, 'GET', content), range: 'bytes=1000-1999' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), `bytes 1000-1999/${bytes.length}`);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000)));
      assert.equal(s3.requests.at(-1)!.range, 'bytes=1000-1999', 'the range is asked of the store, not cut from the whole object');

      const files = new DriveFileService(harness.dataSource, new DriveFolderService(harness.dataSource), new S3FileStorage(settings().s3!), serviceLogger('s3-test'));
      await files.delete({ tenantId, userId: identity.userId! }, file.id);
      assert.equal(s3.objects.has(`${tenantId}/${file.id}`), false);
    } finally {
      await harness.close();
    }
  });
});
