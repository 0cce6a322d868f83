import { z } from 'zod';
import { defineDirectEvent, defineEvent } from '../../../src/events/define';

/** The platform disabled an endpoint: it answered 410 Gone, or kept failing for days. */
export const WebhookEndpointDisabled = defineEvent('webhook.endpoint.disabled', z.object({ endpointId: z.guid(), reason: z.string() }));

/** One delivery attempt and its outcome, live only (`webhookDeliveryUpdated`): the delivery row is the record. */
export const WebhookDeliveryAttempted = defineDirectEvent(
  'webhook.delivery.attempted',
  z.object({
    deliveryId: z.guid(),
    endpointId: z.guid(),
    eventId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'success', 'failed', 'retrying']),
    attempt: z.number().int(),
    responseCode: z.number().int().nullable(),
    error: z.string().nullable(),
    nextRetryAt: z.string().nullable(),
    attemptedAt: z.string(),
  }),
);

export type WebhookDeliveryAttemptedPayload = z.output<typeof WebhookDeliveryAttempted.schema>;

export const WEBHOOK_EVENTS = [WebhookEndpointDisabled, WebhookDeliveryAttempted];
