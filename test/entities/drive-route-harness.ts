import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
import type { FileStorage } from '../../subgraphs/entities/drive/storage/file-storage';
import { testPlatform } from '../helpers/global';

export interface DriveRouteHarness {
  url: string;
  dataSource: DataSource;
  /** Headers with `identity` signed for exactly this method and path (as the router signs them). */
  signed(identity: Identity, method: string, pathWithSearch: string): Record<string, string>;
  close(): Promise<void>;
}

/**
 * The entities subgraph's drive routes in this process, on the test database, with a storage and
 * an upload limit of the test's choosing (settings the shared platform cannot change per test).
 */
export async function startDriveRoutes(storage: FileStorage, options: { maxUploadBytes: number; spoolDir: string }): Promise<DriveRouteHarness> {
  const secret = testPlatform().config.internalSecret;
  const dataSource = await createDataSource({ url: testPlatform().databaseUrl, schema: 'entities', entities: [DriveFile, DriveFolder], poolSize: 1, applicationName: 'drive-route-test' }).initialize();
  const folders = new DriveFolderService(dataSource);
  const log = serviceLogger('drive-route-test');
  const files = new DriveFileService(dataSource, folders, storage, log);
  const routes = driveHttpRoutes({ files, folders, storageLeft: async () => null, maxUploadBytes: options.maxUploadBytes, spoolDir: options.spoolDir, internalSecret: secret, log });
  const server = http.createServer((req, res) => void routes(req, res, new URL(req.url ?? '/', 'http://x')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dataSource,
    signed: (identity, method, pathWithSearch) => ({ [INTERNAL_IDENTITY_HEADER]: signIdentity(identity, internalOperation(method, pathWithSearch), secret) }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dataSource.destroy();
    },
  };
}

/** A multipart body with one `file` part (small: built whole). */
export function multipart(content: Buffer, filename = 'big.bin', contentType = 'application/octet-stream'): { body: Buffer; contentType: string } {
  const boundary = 'drive-test-boundary';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
