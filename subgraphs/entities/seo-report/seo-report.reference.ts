import { tenantReference } from '../../../src/federation/reference';
import type { SeoReportService } from './seo-report.service';

/** Other subgraphs' `SeoReport` references, within the caller's tenant (the type's scopes are checked by the guard). */
export const seoReportReference = (reports: SeoReportService) => tenantReference((context, tenantId, id) => reports.load(context, tenantId, id));
