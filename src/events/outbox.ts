import { randomUUID } from 'node:crypto';
import { rowsOf, type SqlRunner } from '../db/sql-runner';
import { notifyEvent } from './channel';
import { parsePayload, type DirectEventDefinition, type EventInput, type OutboxEventDefinition } from './define';
import { OUTBOX_CHANNEL } from './types';

/**
 * Records an event in the outbox. Call it with the transaction of the write that causes the
 * event so both commit together; the NOTIFY (sent at commit) wakes the relay. The payload is
 * checked against the event's schema first: a bad one throws before anything is written.
 */
export async function emit<E extends OutboxEventDefinition>(tx: SqlRunner, event: E, tenantId: string | null, payload: EventInput<E>): Promise<string> {
  const valid = parsePayload(event, payload);
  const [row] = rowsOf(
    await tx.query(`INSERT INTO platform.outbox (tenant_id, type, payload) VALUES ($1, $2, $3) RETURNING id`, [tenantId, event.type, JSON.stringify(valid)]),
  );
  await tx.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return row.id;
}

/**
 * Publishes an ephemeral event straight to the subscriptions' channel: no outbox row, no
 * consumers, nothing kept if nobody listens. Same schema check as `emit`.
 */
export async function publishDirect<E extends DirectEventDefinition>(runner: SqlRunner, event: E, tenantId: string | null, payload: EventInput<E>): Promise<string> {
  const id = randomUUID();
  await notifyEvent(runner, { id, tenantId, type: event.type, payload: parsePayload(event, payload) as Record<string, unknown>, createdAt: new Date().toISOString() });
  return id;
}
