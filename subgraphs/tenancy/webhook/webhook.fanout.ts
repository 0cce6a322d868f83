import { rowsOf } from '../../../src/db/sql-runner';
import { sendJobs } from '../../../src/events/jobs';
import type { EventSink } from '../../../src/events/relay';
import type { WebhookSettings } from '../../../src/config';
import { DeliverWebhook, deliveryJobOptions } from './webhook.jobs';

/** `events` of an endpoint (alias e) that take the event type `type` (an SQL expression): exact names, `*`, and prefixes like `organization.*`. */
const endpointTakes = (type: string) => `EXISTS (SELECT 1 FROM unnest(e.events) AS pattern
  WHERE pattern = ${type} OR pattern = '*' OR (right(pattern, 2) = '.*' AND starts_with(${type}, left(pattern, -1))))`;

/**
 * The relay's webhook sink: in the relay's transaction, one delivery row and one durable job per
 * (event, subscribed active endpoint), for a whole relayed batch in two statements. The row is
 * unique by (event, endpoint) and the job id is the delivery id, so an event relayed twice is
 * delivered once; a rolled-back write never reached the outbox, so it delivers nothing.
 */
export function webhookFanoutSink(settings: Pick<WebhookSettings, 'timeoutMs'>): EventSink {
  const jobOptions = deliveryJobOptions(settings);
  return async (client, events) => {
    const owned = events.filter((event) => event.tenantId);
    if (!owned.length) return;
    const created = rowsOf<{ id: string; tenant_id: string }>(
      await client.query(
        `INSERT INTO tenancy.webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload, event_created_at)
         SELECT e.tenant_id, e.id, ev.webhook_id, ev.type, ev.payload, ev.created_at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[]) WITH ORDINALITY AS ev(tenant_id, webhook_id, type, payload, created_at, n)
         JOIN tenancy.webhook_endpoints e ON e.tenant_id = ev.tenant_id AND e.is_active AND ${endpointTakes('ev.type')}
         ORDER BY ev.n
         ON CONFLICT (event_id, endpoint_id) DO NOTHING RETURNING id, tenant_id`,
        [
          owned.map((e) => e.tenantId),
          owned.map((e) => webhookMessageId(e.id)),
          owned.map((e) => e.type),
          owned.map((e) => JSON.stringify(e.payload)),
          owned.map((e) => e.createdAt),
        ],
      ),
    );
    await sendJobs(client, DeliverWebhook.queue, created.map(({ id, tenant_id }) => ({ id, data: { tenantId: tenant_id, deliveryId: id } })), jobOptions);
  };
}

/** The `webhook-id` of an event: the same on every attempt and every endpoint. */
export function webhookMessageId(eventId: string): string {
  return `evt_${eventId.replace(/-/g, '')}`;
}
