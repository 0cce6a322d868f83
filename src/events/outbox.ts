import { randomUUID } from 'node:crypto';
import { rowsOf, type SqlRunner } from '../db/sql-runner';
import { notifyEvents } from './channel';
import { parsePayload, type DirectEventDefinition, type EventInput, type OutboxEventDefinition } from './define';
import { OUTBOX_CHANNEL } from './types';

/**
 * Records an event in the outbox. Call it with the transaction of the write that causes the
 * event so both commit together; the NOTIFY (sent at commit) wakes the relay. The payload is
 * checked against the event's schema first: a bad one throws before anything is written.
 */
export async function emit<E extends OutboxEventDefinition>(tx: SqlRunner, event: E, tenantId: string | null, payload: EventInput<E>): Promise<string> {
  const valid = parsePayload(event, payload);
  // One statement (one round trip) for the row and its wake-up.
  const [row] = rowsOf(
    await tx.query(`WITH event AS (INSERT INTO platform.outbox (tenant_id, type, payload) VALUES ($1, $2, $3) RETURNING id) SELECT id, pg_notify($4, '') FROM event`, [
      tenantId,
      event.type,
      JSON.stringify(valid),
      OUTBOX_CHANNEL,
    ]),
  );
  return row.id;
}

/**
 * Publishes an ephemeral event straight to the subscriptions' channel: no outbox row, no
 * consumers, nothing kept if nobody listens. Same schema check as `emit`.
 */
export async function publishDirect<E extends DirectEventDefinition>(runner: SqlRunner, event: E, tenantId: string | null, payload: EventInput<E>): Promise<string> {
  const [id] = await publishDirectMany(runner, event, [{ tenantId, payload }]);
  return id;
}

/** Publishes several ephemeral events of one kind in one statement, in order (inside a transaction: at its commit). */
export async function publishDirectMany<E extends DirectEventDefinition>(
  runner: SqlRunner,
  event: E,
  items: ReadonlyArray<{ tenantId: string | null; payload: EventInput<E> }>,
): Promise<string[]> {
  if (!items.length) return [];
  const createdAt = new Date().toISOString();
  const events = items.map(({ tenantId, payload }) => ({ id: randomUUID(), tenantId, type: event.type, payload: parsePayload(event, payload) as Record<string, unknown>, createdAt }));
  await notifyEvents(runner, events);
  return events.map(({ id }) => id);
}
