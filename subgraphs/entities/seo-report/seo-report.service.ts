import type { DataSource } from 'typeorm';
import { listPage, type ListSpec } from '../../../src/db/list-query';
import { DomainError, validationError, type FieldError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import type { ListArgs, Page } from '../../../src/federation/list-args';
import { load, loaderByGroup, loaderById } from '../../../src/federation/loaders';
import { isUuid } from '../../../src/validation';
import { SeoIssue } from './seo-issue.entity';
import { SEO_SCORE_KEYS, SeoReport, type SeoScores } from './seo-report.entity';
import { SeoReportCreated } from './seo-report.events';
import type { SubmitSeoReportInput } from './seo-report.types';

export const SEO_ISSUE_LIST: ListSpec<SeoIssue> = {
  sortable: { created_at: 'createdAt', severity: 'severity', issue_type: 'issueType', url: 'url' },
  defaultSort: '-created_at',
  // Issues never change: "updated" filters read the creation time.
  updatedAt: 'createdAt',
  searchable: ['url', 'issueType'],
};

export const SEO_REPORT_LIST: ListSpec<SeoReport> = {
  sortable: { created_at: 'createdAt', url: 'url' },
  defaultSort: '-created_at',
  searchable: ['url'],
};

export class SeoReportService {
  constructor(private readonly dataSource: DataSource) {}

  /** The report and its issues, and `seo.report.created`, in one transaction. */
  async submit(tenantId: string, input: SubmitSeoReportInput): Promise<SeoReport> {
    const scores = scoresOf(input.scores);
    return this.dataSource.transaction(async (manager) => {
      const issues = input.issues ?? [];
      const report = manager.getRepository(SeoReport).create({ tenantId, url: input.url, scores, issuesCount: issues.length });
      await manager.getRepository(SeoReport).insert(report);
      if (issues.length) {
        const rows = issues.map((issue, position) =>
          manager.getRepository(SeoIssue).create({
            tenantId,
            reportId: report.id,
            url: input.url,
            issueType: issue.type,
            position,
            severity: issue.severity,
            details: { ...(issue.element != null ? { element: issue.element } : {}), ...(issue.details ?? {}) },
          }),
        );
        await manager.getRepository(SeoIssue).insert(rows);
      }
      await emit(manager, SeoReportCreated, tenantId, { reportId: report.id, url: report.url, issuesCount: issues.length });
      return report;
    });
  }

  async get(tenantId: string, id: string): Promise<SeoReport> {
    const report = isUuid(id) ? await this.dataSource.getRepository(SeoReport).findOneBy({ tenantId, id }) : null;
    if (!report) throw new DomainError('NOT_FOUND', 'SEO report not found');
    return report;
  }

  list(tenantId: string, args: ListArgs): Promise<Page<SeoReport>> {
    return listPage(this.dataSource.getRepository(SeoReport), tenantId, args, SEO_REPORT_LIST);
  }

  /** The workspace's issues, newest first; another workspace's id is not found. */
  issues(tenantId: string, workspaceId: string, args: ListArgs): Promise<Page<SeoIssue>> {
    if (workspaceId !== tenantId) throw new DomainError('NOT_FOUND', 'Workspace not found');
    return listPage(this.dataSource.getRepository(SeoIssue), tenantId, args, SEO_ISSUE_LIST);
  }

  private readonly reportsById = loaderById<SeoReport>('seo-report-by-id', (tenantId, ids) =>
    this.dataSource.getRepository(SeoReport).createQueryBuilder('r').where('r.tenant_id = :tenantId AND r.id = ANY(:ids::uuid[])', { tenantId, ids }).getMany(),
  );

  private readonly issuesByReport = loaderByGroup<SeoIssue>(
    'seo-issues-by-report',
    (tenantId, reportIds) =>
      this.dataSource
        .getRepository(SeoIssue)
        .createQueryBuilder('i')
        .where('i.tenant_id = :tenantId AND i.report_id = ANY(:ids::uuid[])', { tenantId, ids: reportIds })
        .orderBy('i.position', 'ASC')
        .getMany(),
    (issue) => issue.reportId,
  );

  /** A report of the tenant by id, batched across a request (federation references). */
  load(context: SubgraphContext, tenantId: string, id: string): Promise<SeoReport | null> {
    return load(context, this.reportsById, tenantId, id);
  }

  /** The issues of each report, batched across a request. */
  issuesOf(context: SubgraphContext, tenantId: string, reportId: string): Promise<SeoIssue[]> {
    return load(context, this.issuesByReport, tenantId, reportId);
  }
}

/** The documented scores, each a number 0–100; unknown keys are refused (422 naming each). */
function scoresOf(raw: Record<string, unknown> | null | undefined): SeoScores {
  const problems: FieldError[] = [];
  const scores: SeoScores = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (!(SEO_SCORE_KEYS as readonly string[]).includes(key)) problems.push({ field: `scores.${key}`, message: `is not a known score (${SEO_SCORE_KEYS.join(', ')})` });
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) problems.push({ field: `scores.${key}`, message: 'must be a number from 0 to 100' });
    else scores[key as keyof SeoScores] = value;
  }
  if (problems.length) throw validationError(problems);
  return scores;
}
