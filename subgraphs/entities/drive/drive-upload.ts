import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { DomainError, validationError } from '../../../src/errors';
import { sendJson } from '../../../src/http/body';
import type { Logger } from '../../../src/logger';
import { isUuid } from '../../../src/validation';
import { DriveErrors } from './drive.errors';
import type { DriveFileService } from './drive-file.service';
import type { DriveFolderService } from './drive-folder.service';
import type { DriveOwner } from './drive-owner';
import { wireFile } from './drive-wire';
import { safeContentType, safeFilename } from './file-names';
import type { StorageLeft } from './storage-quota';
import type { Identity } from '../../../src/identity';

export interface UploadDeps {
  files: DriveFileService;
  folders: DriveFolderService;
  storageLeft: StorageLeft;
  maxUploadBytes: number;
  spoolDir: string;
  log: Logger;
}

const MAX_DESCRIPTION = 1000;
/** Multipart framing around the file's bytes; a Content-Length beyond limit + this is refused unread. */
const MULTIPART_SLACK = 64 * 1024;

interface UploadParams {
  folderId: string | null;
  description: string | null;
  isShared: boolean;
}

function uploadParams(url: URL, owner: DriveOwner): UploadParams {
  const folder = url.searchParams.get('folder_id');
  const description = url.searchParams.get('description');
  const shared = url.searchParams.get('is_shared');
  const problems = [];
  if (folder && folder !== 'null' && !isUuid(folder)) problems.push({ field: 'folder_id', message: 'must be a UUID' });
  if (description && description.length > MAX_DESCRIPTION) problems.push({ field: 'description', message: `must be at most ${MAX_DESCRIPTION} characters` });
  if (shared !== null && !['true', 'false'].includes(shared)) problems.push({ field: 'is_shared', message: 'must be true or false' });
  if (shared === 'true' && owner.userId) problems.push({ field: 'is_shared', message: "only the tenant's own files can be shared" });
  if (problems.length) throw validationError(problems);
  return { folderId: folder && folder !== 'null' ? folder.toLowerCase() : null, description: description || null, isShared: shared === 'true' };
}

/** What a received file part became: spooled bytes, or refused past the limit. */
interface Spooled {
  path: string;
  size: number;
  truncated: boolean;
  originalFilename: string;
  contentType: string;
}

/**
 * POST multipart/form-data with a `file` part: streamed through busboy into a spool file (memory
 * stays flat whatever the size), refused with 413 past the smaller of DRIVE_MAX_UPLOAD_BYTES and
 * the plan's storage left, then stored and recorded. Whatever fails, nothing stays behind: the
 * spool file is removed, the stored object is removed when the row cannot be written.
 */
export async function handleUpload(deps: UploadDeps, req: http.IncomingMessage, res: http.ServerResponse, url: URL, owner: DriveOwner, caller: Identity): Promise<void> {
  const params = uploadParams(url, owner);
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    throw validationError([{ field: 'file', message: "is required: send multipart/form-data with a 'file' field" }]);
  }
  const left = await deps.storageLeft(caller, owner.tenantId);
  const byPlan = left !== null && left < deps.maxUploadBytes;
  const limit = byPlan ? left! : deps.maxUploadBytes;
  const tooLarge = () => (byPlan ? new DomainError(DriveErrors.STORAGE_QUOTA_EXCEEDED, `The upload exceeds the storage left on the plan (${limit} bytes)`) : new DomainError('PAYLOAD_TOO_LARGE', `File too large: the limit is ${limit} bytes`));
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit + MULTIPART_SLACK) throw tooLarge();
  await deps.folders.target(owner, params.folderId); // a wrong folder is refused before any byte is read

  const spooled = await receive(req, deps.spoolDir, limit);
  try {
    if (!spooled) throw validationError([{ field: 'file', message: "is required: send multipart/form-data with a 'file' field" }]);
    if (spooled.truncated) throw tooLarge();
    const id = randomUUID();
    const storageKey = `${owner.tenantId}/${id}`;
    await deps.files.storage.putFile(storageKey, spooled.path, spooled.size, spooled.contentType);
    try {
      const file = await deps.files.record(owner, {
        id,
        folderId: params.folderId,
        filename: safeFilename(spooled.originalFilename),
        originalFilename: spooled.originalFilename.slice(0, 1024) || 'file',
        fileSize: spooled.size,
        contentType: spooled.contentType,
        storageKey,
        description: params.description,
        extraMetadata: null,
        isShared: params.isShared,
      });
      sendJson(res, 201, { message: 'File uploaded successfully', file: wireFile(file) });
    } catch (error) {
      await deps.files.storage.remove(storageKey).catch((e) => deps.log.error({ err: e, key: storageKey }, 'orphan object after a failed upload'));
      throw error;
    }
  } finally {
    if (spooled) await fs.promises.rm(spooled.path, { force: true });
  }
}

/**
 * Parses the request to its end (the client always gets an answer), spooling the first `file`
 * part; busboy stops writing one byte past `limit` and discards the rest.
 */
async function receive(req: http.IncomingMessage, spoolDir: string, limit: number): Promise<Spooled | undefined> {
  await fs.promises.mkdir(spoolDir, { recursive: true });
  return new Promise<Spooled | undefined>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: limit + 1, fields: 20, parts: 30 } });
    } catch {
      return reject(new DomainError('BAD_REQUEST', 'Malformed multipart/form-data request'));
    }
    let spooling: Promise<Spooled> | undefined;
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || spooling) return void stream.resume();
      const target = path.join(spoolDir, randomUUID());
      const out = fs.createWriteStream(target);
      spooling = pipeline(stream, out)
        .then(() => ({ path: target, size: out.bytesWritten, truncated: (stream as { truncated?: boolean }).truncated === true || out.bytesWritten > limit, originalFilename: info.filename ?? 'file', contentType: safeContentType(info.mimeType) }))
        .catch(async (error) => {
          await fs.promises.rm(target, { force: true });
          throw error;
        });
    });
    parser.on('error', () => {
      req.unpipe(parser);
      req.resume();
      const settle = spooling ? spooling.then((s) => fs.promises.rm(s.path, { force: true })).catch(() => undefined) : Promise.resolve();
      void settle.then(() => reject(new DomainError('BAD_REQUEST', 'Malformed multipart/form-data request')));
    });
    parser.on('close', () => {
      if (!spooling) return resolve(undefined);
      spooling.then(resolve, reject);
    });
    req.pipe(parser);
  });
}
