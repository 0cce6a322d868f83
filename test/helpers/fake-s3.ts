import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Request {
  method: string;
  path: string;
  authorization: string | undefined;
  range: string | undefined;
}

/**
 * A small S3-compatible server on loopback: path-style PUT, GET (with `Range`), HEAD and DELETE
 * of objects in one bucket, S3's XML error for a missing key. Enough for the drive's S3 store; it
 * checks that requests are SigV4-signed, not the signature itself.
 */
export async function startFakeS3(bucket: string): Promise<{ endpoint: string; objects: Map<string, { body: Buffer; contentType: string }>; requests: S3Request[]; close(): Promise<void> }> {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const requests: S3Request[] = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://s3');
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? '', path: url.pathname, authorization, range: req.headers.range });
    const error = (status: number, code: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
    };
    if (!authorization?.startsWith('AWS4-HMAC-SHA256 ')) return error(403, 'AccessDenied');
    const prefix = `/${bucket}/`;
    if (!url.pathname.startsWith(prefix)) return error(404, 'NoSuchBucket');
    const key = decodeURIComponent(url.pathname.slice(prefix.length));
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      if (req.headers['content-length'] !== undefined && Number(req.headers['content-length']) !== body.length) return error(400, 'IncompleteBody');
      objects.set(key, { body, contentType: req.headers['content-type'] ?? 'binary/octet-stream' });
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
      return res.end();
    }
    const object = objects.get(key);
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      return res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return error(405, 'MethodNotAllowed');
    if (!object) return error(404, 'NoSuchKey');
    const size = object.body.length;
    const match = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (req.headers.range && !match) return error(416, 'InvalidRange');
    const start = match ? Number(match[1]) : 0;
    const end = match && match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
    if (match && start >= size) return error(416, 'InvalidRange');
    const headers: Record<string, string> = { 'content-type': object.contentType, 'content-length': String(end - start + 1), 'accept-ranges': 'bytes' };
    if (match) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(match ? 206 : 200, headers);
    res.end(req.method === 'HEAD' ? undefined : object.body.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
