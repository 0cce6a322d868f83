import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { ListArgs, PageOf } from '../../../src/federation/list-args';
import { EntitiesScopes } from '../entities.scopes';
import { SeoIssue } from './seo-issue.entity';
import { SeoReport } from './seo-report.entity';
import type { SeoReportService } from './seo-report.service';
import { SubmitSeoReportInput } from './seo-report.types';

const SeoReportPage = PageOf(SeoReport);
const SeoIssuePage = PageOf(SeoIssue);

export function createSeoReportResolvers(reports: SeoReportService) {
  @Resolver(() => SeoReport)
  class SeoReportResolver {
    @RequiresScopes(EntitiesScopes.seoWrite)
    @Mutation(() => SeoReport, { description: 'Store an SEO audit of a page: its scores and issues (000_… POST /api/v1/seo/report)' })
    submitSeoReport(@Arg('input') input: SubmitSeoReportInput, @Ctx() { identity }: SubgraphContext): Promise<SeoReport> {
      return reports.submit(requireTenant(identity), input);
    }

    @RequiresScopes(EntitiesScopes.seoRead)
    @Query(() => SeoReport, { description: 'One report (not found: NOT_FOUND)' })
    seoReport(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<SeoReport> {
      return reports.get(requireTenant(identity), id);
    }

    @RequiresScopes(EntitiesScopes.seoRead)
    @Query(() => SeoReportPage, { description: 'The workspace’s reports, newest first (sort: created_at, url; search in url)' })
    seoReports(@Args() list: ListArgs, @Ctx() { identity }: SubgraphContext) {
      return reports.list(requireTenant(identity), list);
    }

    @RequiresScopes(EntitiesScopes.seoRead)
    @Query(() => SeoIssuePage, {
      description: 'Issues of every report of the workspace, newest first (sort: created_at, severity, issue_type, url; search in url and issue_type); another workspace: NOT_FOUND',
    })
    seoIssues(@Arg('workspaceId', () => ID) workspaceId: string, @Args() list: ListArgs, @Ctx() { identity }: SubgraphContext) {
      return reports.issues(requireTenant(identity), workspaceId, list);
    }

    @RequiresScopes(EntitiesScopes.seoRead, EntitiesScopes.seoWrite)
    @FieldResolver(() => [SeoIssue], { description: 'What the report found, in the order given' })
    issues(@Root() report: SeoReport, @Ctx() context: SubgraphContext): Promise<SeoIssue[]> {
      return reports.issuesOf(context, report.tenantId, report.id);
    }
  }

  return [SeoReportResolver] as const;
}
