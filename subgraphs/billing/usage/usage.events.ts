import { z } from 'zod';
import { defineEvent, type EventPayload } from '../../../src/events/define';

const limit = z.union([z.number(), z.literal('unlimited')]);
const meterUsage = z.object({ current: z.number(), max: limit, remaining: limit, percentage: z.number() });

/** The organization's current usage after the change (the numbers of `/v1/api/usage/current`). */
const currentUsage = z.object({
  periodStart: z.iso.datetime({ offset: true }),
  periodEnd: z.iso.datetime({ offset: true }),
  planId: z.guid().nullable(),
  planName: z.string().nullable(),
  usage: z.object({
    messages: meterUsage,
    costUsd: meterUsage,
    tokens: z.object({ total: z.number(), input: z.number(), output: z.number() }),
    apiCalls: z.number(),
    storageBytes: z.number(),
  }),
});
export type CurrentUsageSnapshot = z.infer<typeof currentUsage>;

/** Usage was recorded; feeds the `usageUpdated` subscription. */
export const UsageRecorded = defineEvent(
  'usage.recorded',
  z.object({
    recordId: z.guid(),
    organizationId: z.guid().nullable(),
    userId: z.guid().nullable(),
    metric: z.string().min(1),
    quantity: z.number().nonnegative(),
    /** The organization's new total for the metric (null without an organization). */
    organizationTotal: z.number().nullable(),
    recordedAt: z.iso.datetime({ offset: true }),
    /** Absent from events written before counters existed: subscribers then read it. */
    usage: currentUsage.optional(),
  }),
);

export type UsageRecordedPayload = EventPayload<typeof UsageRecorded>;

export const USAGE_EVENTS = [UsageRecorded];
