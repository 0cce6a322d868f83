import { Client } from 'pg';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Logger } from '../logger';
import { createEventDecoder } from './channel';
import { EVENTS_CHANNEL, type PlatformEvent } from './types';

/** The in-process pub/sub that type-graphql subscriptions read; topics are event types. */
export type EventPubSub = ReturnType<typeof createPubSub<Record<string, [PlatformEvent]>>>;

/**
 * Feeds a local pub/sub from the PostgreSQL events channel (the relay's outbox events and
 * direct events alike), so every replica of a subgraph sees every event.
 */
export async function connectEventPubSub(databaseUrl: string, log: Logger): Promise<{ pubSub: EventPubSub; close(): Promise<void> }> {
  const pubSub = createPubSub<Record<string, [PlatformEvent]>>();
  const decode = createEventDecoder();
  const listener = new Client({ connectionString: databaseUrl });
  listener.on('error', (error) => log.error({ err: error }, 'event listener error'));
  await listener.connect();
  listener.on('notification', (message) => {
    if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
    try {
      const event = decode(message.payload);
      if (event) pubSub.publish(event.type, event);
    } catch (error) {
      log.error({ err: error }, 'could not publish event');
    }
  });
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
  return { pubSub, close: () => listener.end() };
}
