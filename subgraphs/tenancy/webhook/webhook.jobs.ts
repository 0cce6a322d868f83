import { z } from 'zod';
import { defineJob } from '../../../src/events/jobs';

/**
 * One attempt of one delivery. The retry schedule is the delivery's own (each retry is a new job
 * with its start time); pg-boss's retries only cover a worker that died or threw mid-attempt:
 * a job active past `expireInSeconds` (longer than the longest timeout) runs again, and the
 * delivery keeps its event's `webhook-id`.
 */
export const DeliverWebhook = defineJob(
  'tenancy.webhook-delivery',
  z.object({ tenantId: z.guid(), deliveryId: z.guid() }),
  { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: false, pollingIntervalSeconds: 0.5, expireInSeconds: 90, concurrent: true, batchSize: 50 },
);
