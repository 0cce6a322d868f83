import type { EventConsumer } from '../src/events/jobs';

/**
 * Cross-domain consumers (queue name → the event types it takes). The relay reads this list;
 * each handler runs in its owning subgraph's process.
 */
export const EVENT_CONSUMERS: EventConsumer[] = [
  // billing meters end users as they sign up (usage metric `end_users`)
  { queue: 'billing.meter-end-users', events: ['end_user.registered'] },
];
