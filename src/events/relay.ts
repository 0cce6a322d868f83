import { Client, Pool } from 'pg';
import type { SqlRunner } from '../db/sql-runner';
import type { Logger } from '../logger';
import { notifyEvents } from './channel';
import { OUTBOX_CHANNEL, type PlatformEvent } from './types';

/**
 * Where the relay hands events besides the pub/sub (durable jobs, in the same transaction): a
 * claimed batch at a time, oldest first, so a sink can write it in a few statements.
 */
export type EventSink = (client: SqlRunner, events: readonly PlatformEvent[]) => Promise<void>;

const BATCH = 100;

/**
 * Moves events from the outbox to the pub/sub channel and the sinks, woken by LISTEN/NOTIFY
 * with polling as a safety net. Rows are claimed with SKIP LOCKED so replicas share the work;
 * publishing and marking happen in one transaction (NOTIFY is delivered at commit).
 */
export class OutboxRelay {
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly databaseUrl: string,
    private readonly sinks: EventSink[],
    private readonly log: Logger,
    private readonly pollMs = 1000,
  ) {}

  async start(): Promise<void> {
    this.listener = new Client({ connectionString: this.databaseUrl });
    this.listener.on('error', (error) => this.log.error({ err: error }, 'relay listener error'));
    await this.listener.connect();
    this.listener.on('notification', () => void this.drain());
    await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.timer = setInterval(() => void this.drain(), this.pollMs);
    await this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
  }

  /** Publishes until the outbox is empty; concurrent wake-ups coalesce into one more pass. */
  async drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && (await this.publishBatch()) === BATCH);
      } while (this.again && !this.stopped);
    } catch (error) {
      this.log.error({ err: error }, 'relay pass failed; will retry');
    } finally {
      this.running = false;
    }
  }

  private async publishBatch(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT id, tenant_id, type, payload, created_at FROM platform.outbox
         WHERE published_at IS NULL ORDER BY created_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      const events: PlatformEvent[] = rows.map((row) => ({
        id: row.id,
        tenantId: row.tenant_id,
        type: row.type,
        payload: row.payload,
        createdAt: new Date(row.created_at).toISOString(),
      }));
      if (rows.length > 0) {
        await notifyEvents(client, events);
        for (const sink of this.sinks) await sink(client, events);
        await client.query(`UPDATE platform.outbox SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])`, [
          rows.map((r) => r.id),
        ]);
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
