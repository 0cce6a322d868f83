import { Client } from 'pg';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Logger } from '../logger';
import { EVENTS_CHANNEL, type PlatformEvent } from './types';

/** The in-process pub/sub that type-graphql subscriptions read; topics are event types. */
export type EventPubSub = ReturnType<typeof createPubSub<Record<string, [PlatformEvent]>>>;

/**
 * Feeds a local pub/sub from the relay's PostgreSQL channel, so every replica of a subgraph
 * sees every event (the shared fan-out across replicas).
 */
export async function connectEventPubSub(databaseUrl: string, log: Logger): Promise<{ pubSub: EventPubSub; close(): Promise<void> }> {
  const pubSub = createPubSub<Record<string, [PlatformEvent]>>();
  const listener = new Client({ connectionString: databaseUrl });
  listener.on('error', (error) => log.error({ err: error }, 'event listener error'));
  await listener.connect();
  listener.on('notification', async (message) => {
    if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
    try {
      let event = JSON.parse(message.payload) as PlatformEvent | { ref: string };
      if ('ref' in event) {
        const { rows } = await listener.query(
          `SELECT id, tenant_id AS "tenantId", type, payload, created_at AS "createdAt" FROM platform.outbox WHERE id = $1`,
          [event.ref],
        );
        if (!rows[0]) return;
        event = { ...rows[0], createdAt: new Date(rows[0].createdAt).toISOString() } as PlatformEvent;
      }
      pubSub.publish(event.type, event);
    } catch (error) {
      log.error({ err: error }, 'could not publish event');
    }
  });
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
  return { pubSub, close: () => listener.end() };
}
