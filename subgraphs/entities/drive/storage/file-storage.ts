import path from 'node:path';
import type { Readable } from 'node:stream';
import type { DriveSettings } from '../../../../src/config';
import { LocalFileStorage } from './local-storage';
import { S3FileStorage } from './s3-storage';

/** An inclusive byte range of a stored object (HTTP `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where the drive's bytes live. Uploads are first streamed to a spool file (bounded memory, the
 * size known and checked before anything is stored), then handed over whole: a rename on local
 * disk, one PutObject with a known length on S3. Keys are opaque (`<tenant>/<file id>`).
 */
export interface FileStorage {
  /** `storage_provider` in the API: local or s3. */
  readonly provider: 'local' | 's3';
  /** Moves the spooled file `sourcePath` (`size` bytes) under `key`; the source is gone after. */
  putFile(key: string, sourcePath: string, size: number, contentType: string): Promise<void>;
  /** The object's bytes (or the range of them), streamed. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the object; a missing one is no error (deletes are retried). */
  remove(key: string): Promise<void>;
}

/** Local disk under `dataDir/drive` by default; S3 when S3_BUCKET is set. */
export function createFileStorage(settings: DriveSettings, dataDir: string): FileStorage {
  return settings.s3 ? new S3FileStorage(settings.s3) : new LocalFileStorage(path.join(dataDir, 'drive'));
}

/** Where uploads are spooled before they are stored (same filesystem as local storage: rename is atomic). */
export function spoolDirectory(dataDir: string): string {
  return path.join(dataDir, 'drive', '.spool');
}
