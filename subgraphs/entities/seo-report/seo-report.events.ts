import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

export const SeoReportCreated = defineEvent('seo.report.created', z.object({ reportId: z.guid(), url: z.string().min(1), issuesCount: z.number().int().nonnegative() }));

export const SEO_REPORT_EVENTS = [SeoReportCreated];
