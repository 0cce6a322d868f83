import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readAllSubgraphMetrics } from '../../src/federation/metrics';
import { gql, gqlData, rest } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { makeApiKey } from '../helpers/factory';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { outbox } from '../tenancy/organization-helpers';

/** /api/v1/seo (000_… "SEO Reports") through the router: bodies, validation, scopes, isolation, events. */
describe('/api/v1/seo reports and issues', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let other: TestTenant;

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
  });

  const as = (t: TestTenant) => ({ bearer: t.secret_key });
  const documented = {
    url: 'https://example.com/page',
    scores: { performance: 85, accessibility: 92, best_practices: 88, seo: 95 },
    issues: [{ type: 'missing_alt', severity: 'warning', element: 'img.hero-image' }],
  };

  it('submits the documented report: 201, the report with its issues, and seo.report.created', async () => {
    const created = await rest('POST', '/api/v1/seo/report', documented, as(tenant));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.message, 'SEO report submitted successfully.');
    const data = created.body.data;
    assert.deepEqual({ url: data.url, scores: data.scores, issues_count: data.issues_count }, { url: documented.url, scores: documented.scores, issues_count: 1 });
    assert.deepEqual(
      data.issues.map((i: any) => ({ issue_type: i.issue_type, severity: i.severity, details: i.details, url: i.url, report_id: i.report_id })),
      [{ issue_type: 'missing_alt', severity: 'warning', details: { element: 'img.hero-image' }, url: documented.url, report_id: data.id }],
    );
    assert.ok(Date.parse(data.created_at));
    const events = (await outbox(tenant.tenant_id)).filter((e) => e.type === 'seo.report.created');
    assert.deepEqual(events.map((e) => e.payload), [{ reportId: data.id, url: documented.url, issuesCount: 1 }]);
  });

  it("lists the workspace's issues newest first in the face's page envelope; another workspace's id is 404", async () => {
    await rest('POST', '/api/v1/seo/report', { url: 'https://example.com/a', issues: [
      { type: 'missing_meta_description', severity: 'error', details: { length: 0 } },
      { type: 'slow_lcp', severity: 'info' },
    ] }, as(tenant));
    const listed = await rest('GET', `/api/v1/seo/issues/${tenant.tenant_id}?per_page=2`, undefined, as(tenant));
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.equal(listed.body.meta.total, 3);
    assert.equal(listed.body.meta.per_page, 2);
    assert.match(listed.body.links.next, /page=2/);
    const first = listed.body.data[0];
    assert.deepEqual(Object.keys(first).sort(), ['created_at', 'details', 'id', 'issue_type', 'report_id', 'severity', 'url']);
    assert.ok(listed.body.data.every((i: any) => i.url === 'https://example.com/a'));
    const errors = await rest('GET', `/api/v1/seo/issues/${tenant.tenant_id}?search=meta&sort=severity`, undefined, as(tenant));
    assert.deepEqual(errors.body.data.map((i: any) => [i.issue_type, i.severity, i.details]), [['missing_meta_description', 'error', { length: 0 }]]);

    for (const id of [other.tenant_id, randomUUID(), 'not-a-uuid']) {
      const elsewhere = await rest('GET', `/api/v1/seo/issues/${id}`, undefined, as(tenant));
      assert.equal(elsewhere.status, 404, id);
      assert.equal(elsewhere.body.error, 'not_found');
    }
    // The other workspace sees none of them, with its own id.
    const theirs = await rest('GET', `/api/v1/seo/issues/${other.tenant_id}`, undefined, as(other));
    assert.equal(theirs.status, 200);
    assert.deepEqual(theirs.body.data, []);
  });

  it('refuses invalid reports with 422 naming every field, and stores nothing', async () => {
    const before = (await outbox(tenant.tenant_id)).length;
    const invalid = await rest('POST', '/api/v1/seo/report', {
      url: 'ftp://example.com',
      issues: [{ type: 'missing_alt', severity: 'bad' }, { type: 'bad type!', severity: 'error' }],
    }, as(tenant));
    assert.equal(invalid.status, 422, JSON.stringify(invalid.body));
    assert.equal(invalid.body.error, 'validation_failed');
    assert.deepEqual(Object.keys(invalid.body.errors).sort(), ['issues[0].severity', 'issues[1].type', 'url']);
    // An issue without its type does not fit the documented shape at all.
    const shapeless = await rest('POST', '/api/v1/seo/report', { url: 'https://example.com', issues: [{ severity: 'error' }] }, as(tenant));
    assert.equal(shapeless.status, 422);
    assert.deepEqual(Object.keys(shapeless.body.errors), ['issues']);

    const missing = await rest('POST', '/api/v1/seo/report', { scores: { seo: 1 } }, as(tenant));
    assert.equal(missing.status, 422);
    assert.deepEqual(Object.keys(missing.body.errors), ['url']);

    const scores = await rest('POST', '/api/v1/seo/report', { url: 'https://example.com', scores: { seo: 101, speed: 3, performance: '9' } }, as(tenant));
    assert.equal(scores.status, 422);
    assert.deepEqual(Object.keys(scores.body.errors).sort(), ['scores.performance', 'scores.seo', 'scores.speed']);
    assert.equal((await outbox(tenant.tenant_id)).length, before);
  });

  it('needs seo:write to submit and seo:read to list (403 access_denied naming the scope)', async () => {
    const reader = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['seo:read'] });
    const writer = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['seo:write'] });
    const denied = await rest('POST', '/api/v1/seo/report', documented, { bearer: reader });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, { error: 'access_denied', message: 'Insufficient permissions. Required scope: seo:write' });
    assert.equal((await rest('POST', '/api/v1/seo/report', documented, { bearer: writer })).status, 201);
    const listDenied = await rest('GET', `/api/v1/seo/issues/${tenant.tenant_id}`, undefined, { bearer: writer });
    assert.equal(listDenied.status, 403);
    assert.match(listDenied.body.message, /seo:read/);
    assert.equal((await rest('GET', `/api/v1/seo/issues/${tenant.tenant_id}`, undefined, { bearer: reader })).status, 200);
    const anonymous = await rest('GET', `/api/v1/seo/issues/${tenant.tenant_id}`);
    assert.equal(anonymous.status, 401);
  });

  it('replays a submission with the same Idempotency-Key: one report', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const body = { url: `https://example.com/${randomUUID()}` };
    const first = await rest('POST', '/api/v1/seo/report', body, { ...as(tenant), headers });
    const again = await rest('POST', '/api/v1/seo/report', body, { ...as(tenant), headers });
    assert.equal(again.status, 201);
    assert.equal(again.body.data.id, first.body.data.id);
    const reports = await gqlData('query($search: String) { seoReports(search: $search) { total } }', { search: body.url }, as(tenant));
    assert.equal(reports.seoReports.total, 1);
  });

  it("lists reports with their issues in as many SQL statements for 2 reports as for 8 (issues through a loader)", async () => {
    const own = await createTenant();
    for (let i = 0; i < 8; i += 1) {
      await rest('POST', '/api/v1/seo/report', { url: `https://example.com/${i}`, issues: [{ type: 'a', severity: 'info' }, { type: 'b', severity: 'error' }] }, as(own));
    }
    const sqlFor = async (perPage: number) => {
      const sum = async () => Object.values(await readAllSubgraphMetrics(testPlatform().config.subgraphUrls)).reduce((n, m) => n + m.requestSql, 0);
      const before = await sum();
      const data = await gqlData('query($n: Int) { seoReports(perPage: $n) { items { url issues { issueType } } } }', { n: perPage }, as(own));
      assert.equal(data.seoReports.items.length, perPage);
      assert.ok(data.seoReports.items.every((r: any) => r.issues.map((i: any) => i.issueType).join() === 'a,b'));
      return (await sum()) - before;
    };
    const few = await sqlFor(2);
    assert.ok(few > 0);
    assert.equal(await sqlFor(8), few);
  });

  it('GraphQL: a report with its issues; another tenant gets NOT_FOUND', async () => {
    const { submitSeoReport: report } = await gqlData(
      'mutation($input: SubmitSeoReportInput!) { submitSeoReport(input: $input) { id issuesCount } }',
      { input: { url: 'https://example.com/g', scores: { seo: 50 }, issues: [{ type: 'h1_missing', severity: 'critical' }] } },
      as(tenant),
    );
    const read = await gqlData('query($id: ID!) { seoReport(id: $id) { url scores issues { issueType severity } } }', { id: report.id }, as(tenant));
    assert.deepEqual(read.seoReport, { url: 'https://example.com/g', scores: { seo: 50 }, issues: [{ issueType: 'h1_missing', severity: 'critical' }] });
    const foreign = await gql('query($id: ID!) { seoReport(id: $id) { id } }', { id: report.id }, as(other));
    assert.equal(foreign.body.errors[0].extensions.code, 'NOT_FOUND');
  });
});
