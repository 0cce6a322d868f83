import { rowsOf } from '../../../src/db/sql-runner';
import { sendJob } from '../../../src/events/jobs';
import type { EventSink } from '../../../src/events/relay';
import type { WebhookSettings } from '../../../src/config';
import { DeliverWebhook, deliveryJobOptions } from './webhook.jobs';

/** `events` of an endpoint (alias e) that take `$type`: exact names, `*`, and prefixes like `organization.*`. */
export const ENDPOINT_TAKES_EVENT = `EXISTS (SELECT 1 FROM unnest(e.events) AS pattern
  WHERE pattern = $3 OR pattern = '*' OR (right(pattern, 2) = '.*' AND starts_with($3, left(pattern, -1))))`;

/**
 * The relay's webhook sink: in the relay's transaction, one delivery row and one durable job per
 * (event, subscribed active endpoint). The row is unique by (event, endpoint) and the job id is
 * the delivery id, so an event relayed twice is delivered once; a rolled-back write never
 * reached the outbox, so it delivers nothing.
 */
export function webhookFanoutSink(settings: Pick<WebhookSettings, 'timeoutMs'>): EventSink {
  const jobOptions = deliveryJobOptions(settings);
  return async (client, event) => {
    if (!event.tenantId) return;
    const created = rowsOf<{ id: string }>(
      await client.query(
        `INSERT INTO tenancy.webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, payload, event_created_at)
         SELECT e.tenant_id, e.id, $2, $3, $4, $5 FROM tenancy.webhook_endpoints e
         WHERE e.tenant_id = $1 AND e.is_active AND ${ENDPOINT_TAKES_EVENT}
         ON CONFLICT (event_id, endpoint_id) DO NOTHING RETURNING id`,
        [event.tenantId, webhookMessageId(event.id), event.type, JSON.stringify(event.payload), event.createdAt],
      ),
    );
    for (const { id } of created) {
      await sendJob(client, DeliverWebhook.queue, { tenantId: event.tenantId, deliveryId: id }, jobOptions, id);
    }
  };
}

/** The `webhook-id` of an event: the same on every attempt and every endpoint. */
export function webhookMessageId(eventId: string): string {
  return `evt_${eventId.replace(/-/g, '')}`;
}
