import type http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { accessDenial, SELF_SCOPE } from '../../../src/federation/access';
import { internalIdentity, sendInternalError } from '../../../src/http/internal-request';
import { DomainError } from '../../../src/errors';
import { EntitiesScopes } from '../entities.scopes';
import { byteRangeOf } from './byte-range';
import { DriveErrors } from './drive.errors';
import type { DriveFile } from './drive-file.entity';
import { driveOwnerOf } from './drive-owner';
import { handleUpload, type UploadDeps } from './drive-upload';
import { contentDisposition } from './file-names';

/** The internal paths the router forwards the drive's byte endpoints to (router/drive-routes.ts). */
export const DRIVE_INTERNAL = {
  upload: '/internal/drive/files',
  content: (id: string) => `/internal/drive/files/${encodeURIComponent(id)}/content`,
  sharedContent: (id: string) => `/internal/drive/shared/${encodeURIComponent(id)}/content`,
} as const;

const READ = [{ scopes: [[EntitiesScopes.entitiesRead], [EntitiesScopes.entitiesWrite], [SELF_SCOPE]] }];
const WRITE = [{ scopes: [[EntitiesScopes.entitiesWrite], [SELF_SCOPE]] }];

/**
 * The drive's byte endpoints on the entities subgraph's port: only requests with the router's
 * identity signed for exactly that request, with the same access rules as the GraphQL fields.
 * Returns false for any other path (the subgraph answers it).
 */
export function driveHttpRoutes(deps: UploadDeps & { internalSecret: string }) {
  return async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith('/internal/drive/')) return false;
    try {
      const identity = internalIdentity(req, deps.internalSecret);
      if (!identity) throw new DomainError('UNAUTHENTICATED', 'Missing or invalid internal identity');
      const upload = url.pathname === DRIVE_INTERNAL.upload && req.method === 'POST';
      const content = /^\/internal\/drive\/(files|shared)\/([^/]+)\/content$/.exec(url.pathname);
      if (!upload && !(content && req.method === 'GET')) throw new DomainError('NOT_FOUND', `No route for ${req.method} ${url.pathname}`);
      const denied = accessDenial(identity, upload ? WRITE : READ);
      if (denied) throw denied;
      const owner = driveOwnerOf(identity);
      if (upload) await handleUpload(deps, req, res, url, owner, identity);
      else {
        const id = decodeURIComponent(content![2]);
        const file = content![1] === 'shared' ? await deps.files.getShared(owner.tenantId, id) : await deps.files.get(owner, id);
        await sendContent(deps, req, res, file);
      }
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) deps.log.error({ err: error }, 'drive request failed');
      if (res.headersSent) res.destroy();
      else sendInternalError(res, error);
      // An unread request body is drained, so the caller still receives the answer.
      if (!req.complete) req.resume();
    }
    return true;
  };
}

/** The bytes, streamed: 200 with the whole file, or 206 with the one requested range. */
async function sendContent(deps: UploadDeps, req: http.IncomingMessage, res: http.ServerResponse, file: DriveFile): Promise<void> {
  let range;
  try {
    range = byteRangeOf(req.headers.range, file.fileSize);
  } catch (error) {
    // 416 names the size the client may ask within (RFC 9110 §15.5.17).
    if (error instanceof DomainError && error.code === DriveErrors.RANGE_NOT_SATISFIABLE.code) return sendInternalError(res, error, { 'content-range': `bytes */${file.fileSize}` });
    throw error;
  }
  const body = await deps.files.storage.read(file.storageKey, range);
  const headers: Record<string, string> = {
    'content-type': file.contentType,
    'content-length': String(range ? range.end - range.start + 1 : file.fileSize),
    'content-disposition': contentDisposition(file.filename),
    'accept-ranges': 'bytes',
    'last-modified': file.updatedAt.toUTCString(),
    // The type is the uploader's claim: never let a browser sniff or render it as something else.
    'x-content-type-options': 'nosniff',
  };
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${file.fileSize}`;
  res.writeHead(range ? 206 : 200, headers);
  await pipeline(body, res);
}
