import { DomainError } from '../../../src/errors';
import { DriveErrors } from './drive.errors';
import type { ByteRange } from './storage/file-storage';

/**
 * The one range of a `Range: bytes=...` header for an object of `size` bytes (RFC 9110 §14):
 * `a-b`, `a-` or `-n` (the last n bytes), the end clamped to the size. No header, another unit or
 * several ranges: the whole object (a server may ignore Range). Malformed or unsatisfiable: 416.
 */
export function byteRangeOf(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return undefined;
  if (match[1].includes(',')) return undefined;
  const spec = /^(\d*)-(\d*)$/.exec(match[1].trim());
  if (!spec || (spec[1] === '' && spec[2] === '')) throw unsatisfiable(size);
  let start: number;
  let end: number;
  if (spec[1] === '') {
    const suffix = Number(spec[2]);
    if (suffix === 0) throw unsatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(spec[1]);
    end = spec[2] === '' ? size - 1 : Math.min(Number(spec[2]), size - 1);
    if (spec[2] !== '' && Number(spec[2]) < start) throw unsatisfiable(size);
  }
  if (start >= size || end < start) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): DomainError {
  return new DomainError(DriveErrors.RANGE_NOT_SATISFIABLE, `Requested range not satisfiable (the file has ${size} bytes)`);
}
