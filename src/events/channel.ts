import type { SqlRunner } from '../db/sql-runner';
import { EVENTS_CHANNEL, type PlatformEvent } from './types';

// pg_notify payloads are limited to 8000 bytes. A larger event goes out as numbered base64
// pieces (ASCII, so no UTF-8 character is ever split) that the listener puts back together.
const MAX_NOTIFY_BYTES = 7000;
const PIECE_CHARS = 6000;
// Pieces of an event whose rest never came (listener connected mid-way) are dropped after this.
const INCOMPLETE_TTL_MS = 30_000;

interface Piece {
  piece: { id: string; index: number; count: number; data: string };
}

/** The channel messages that carry one event, each within the NOTIFY size limit. */
export function encodeEvent(event: PlatformEvent): string[] {
  const message = JSON.stringify(event);
  if (Buffer.byteLength(message) <= MAX_NOTIFY_BYTES) return [message];
  const data = Buffer.from(message).toString('base64');
  const count = Math.ceil(data.length / PIECE_CHARS);
  return Array.from({ length: count }, (_, index) =>
    JSON.stringify({ piece: { id: event.id, index, count, data: data.slice(index * PIECE_CHARS, (index + 1) * PIECE_CHARS) } } satisfies Piece),
  );
}

/**
 * Sends events on the subscriptions' channel in one statement, in order, so an event's pieces
 * are delivered together (inside a transaction: at commit).
 */
export async function notifyEvents(runner: SqlRunner, events: readonly PlatformEvent[]): Promise<void> {
  await runner.query(`SELECT pg_notify($1, message) FROM unnest($2::text[]) WITH ORDINALITY AS m(message, n) ORDER BY n`, [
    EVENTS_CHANNEL,
    events.flatMap(encodeEvent),
  ]);
}

/** Turns channel messages back into events; returns undefined until an event's last piece arrives. */
export function createEventDecoder(now: () => number = Date.now): (message: string) => PlatformEvent | undefined {
  const partial = new Map<string, { pieces: string[]; received: number; since: number }>();
  return (message) => {
    const parsed = JSON.parse(message) as PlatformEvent | Piece;
    if (!('piece' in parsed)) return parsed;
    const { id, index, count, data } = parsed.piece;
    for (const [key, entry] of partial) if (now() - entry.since > INCOMPLETE_TTL_MS) partial.delete(key);
    const entry = partial.get(id) ?? { pieces: new Array<string>(count), received: 0, since: now() };
    if (entry.pieces[index] === undefined) entry.received += 1;
    entry.pieces[index] = data;
    partial.set(id, entry);
    if (entry.received < count) return undefined;
    partial.delete(id);
    return JSON.parse(Buffer.from(entry.pieces.join(''), 'base64').toString('utf8')) as PlatformEvent;
  };
}
