import { rowsOf, type SqlRunner } from '../db/sql-runner';
import { OUTBOX_CHANNEL } from './types';

export interface NewEvent {
  tenantId: string | null;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Records an event in the outbox. Call it with the transaction of the write that causes the
 * event so both commit together; the NOTIFY (sent at commit) wakes the relay.
 */
export async function emitEvent(tx: SqlRunner, event: NewEvent): Promise<string> {
  const [row] = rowsOf(
    await tx.query(`INSERT INTO platform.outbox (tenant_id, type, payload) VALUES ($1, $2, $3) RETURNING id`, [
      event.tenantId,
      event.type,
      JSON.stringify(event.payload),
    ]),
  );
  await tx.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  return row.id;
}
