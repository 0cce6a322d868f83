import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

export const PixelEventTracked = defineEvent('pixel.event.tracked', z.object({ pixelEventId: z.guid(), pixelId: z.guid(), event: z.string().min(1), url: z.string().min(1) }));
export const PixelUpdated = defineEvent('pixel.updated', z.object({ pixelId: z.guid(), enabled: z.boolean() }));

export const PIXEL_EVENTS = [PixelEventTracked, PixelUpdated];
