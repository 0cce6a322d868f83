import { z } from 'zod';
import { defineEvent, type EventPayload } from '../../../src/events/define';

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
  }),
);

export type UsageRecordedPayload = EventPayload<typeof UsageRecorded>;

export const USAGE_EVENTS = [UsageRecorded];
