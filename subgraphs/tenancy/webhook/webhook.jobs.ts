import { z } from 'zod';
import type { WebhookSettings } from '../../../src/config';
import { defineJob, type JobOptions } from '../../../src/events/jobs';

/**
 * One attempt of one delivery. The retry schedule is the delivery's own (each retry is a new job
 * with its start time); pg-boss's retries only cover a process that died or threw mid-attempt:
 * a job still active past its expiry (`deliveryJobOptions`) runs again, and the delivery keeps
 * its event's `webhook-id`.
 */
export const DeliverWebhook = defineJob(
  'tenancy.webhook-delivery',
  z.object({ tenantId: z.guid(), deliveryId: z.guid() }),
  { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: false, pollingIntervalSeconds: 0.5, concurrent: true, batchSize: 50, workers: 4 },
);

/** Beyond the attempt's own timeout: loading the delivery and recording its outcome. */
const RECORDING_MARGIN_SECONDS = 15;

/**
 * A delivery job's options: an attempt cannot outlive its timeout, so one active longer (plus a
 * margin for the database) was lost with its process (SIGKILL, OOM) and is presumed dead; pg-boss
 * runs it again at its next maintenance (JOBS_MAINTENANCE_INTERVAL_SECONDS).
 */
export function deliveryJobOptions(settings: Pick<WebhookSettings, 'timeoutMs'>): JobOptions {
  return { ...DeliverWebhook.options, expireInSeconds: Math.ceil(settings.timeoutMs / 1000) + RECORDING_MARGIN_SECONDS };
}
