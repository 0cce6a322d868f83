import { z } from 'zod';
import { defineJob } from '../../../src/events/jobs';

/**
 * Sends one email, outside the request that asked for it. Queued in that request's transaction
 * (a rolled-back registration sends nothing); retried with backoff for about half an hour
 * (5 s, 10 s, 20 s, ... with jitter) when SMTP fails.
 */
export const SendMail = defineJob(
  'tenancy.send-mail',
  z.object({
    tenantId: z.guid(),
    to: z.string().min(3),
    subject: z.string().min(1),
    text: z.string(),
    kind: z.string().min(1),
  }),
  // Verification and reset mails carry one-time tokens in their text: erased from the job once sent.
  { retryLimit: 8, retryDelaySeconds: 5, retryBackoff: true, pollingIntervalSeconds: 0.5, erasedWhenDone: ['text'] },
);
