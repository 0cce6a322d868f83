/** The name a file is stored and served under: the last path segment, no control or quote characters. */
export function safeFilename(original: string): string {
  const base = original.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f"<>:|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 255);
  return cleaned || 'file';
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback (`filename="..."`) and the exact name
 * in RFC 5987 form (`filename*=UTF-8''...`): no header injection, browsers save it, never render.
 */
export function contentDisposition(filename: string): string {
  const ascii = safeFilename(filename).replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  const encoded = encodeURIComponent(safeFilename(filename)).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A plausible media type from the upload, else application/octet-stream (never trusted to render: see nosniff). */
export function safeContentType(raw: string | undefined): string {
  const value = (raw ?? '').trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(value) ? value : 'application/octet-stream';
}
