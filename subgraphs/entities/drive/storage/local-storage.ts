import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DomainError } from '../../../../src/errors';
import type { ByteRange, FileStorage } from './file-storage';

/** Files on local disk: `<root>/<key>`; keys are generated (tenant id / file id), never user input. */
export class LocalFileStorage implements FileStorage {
  readonly provider = 'local' as const;

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const full = path.resolve(this.root, key);
    // Defence in depth: a key can never point outside the root.
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`invalid storage key ${key}`);
    return full;
  }

  async putFile(key: string, sourcePath: string, _size: number): Promise<void> {
    const target = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.rename(sourcePath, target);
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.pathOf(key);
    // Open first so that a missing file is a clean 404, not a stream error after the headers.
    const handle = await fs.promises.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new DomainError('NOT_FOUND', 'File content not found');
      throw error;
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }
}
