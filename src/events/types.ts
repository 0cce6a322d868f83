/** A domain event as it travels from the outbox to subscribers and consumers. */
export interface PlatformEvent<T = Record<string, unknown>> {
  id: string;
  tenantId: string | null;
  type: string;
  payload: T;
  createdAt: string;
}

/** PostgreSQL channels: the relay's wake-up call, and the fan-out to subgraph pub/subs. */
export const OUTBOX_CHANNEL = 'platform_outbox';
export const EVENTS_CHANNEL = 'platform_events';
