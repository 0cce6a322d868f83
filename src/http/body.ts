import type http from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export type ParsedBody = { ok: true; value: any; raw: string } | { ok: false; status: 400 | 413; error: string };

/** Reads a JSON body; an empty body is `undefined`, malformed JSON a 400. */
export async function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) return { ok: false, status: 413, error: 'Request body too large' };
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return { ok: true, value: undefined, raw };
  try {
    return { ok: true, value: JSON.parse(raw), raw };
  } catch {
    return { ok: false, status: 400, error: 'Request body is not valid JSON' };
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}
