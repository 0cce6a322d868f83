import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SEO reports with their issues (listed per workspace, newest first) and the workspace's tracking
 * pixel (one per workspace, public id) with the events it tracked.
 */
export class SeoPixel1764100000750 implements MigrationInterface {
  name = 'SeoPixel1764100000750';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entities.seo_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        url text NOT NULL,
        scores jsonb NOT NULL DEFAULT '{}',
        issues_count int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX seo_reports_tenant_created_idx ON entities.seo_reports (tenant_id, created_at DESC, id)`);
    await q.query(`
      CREATE TABLE entities.seo_issues (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        report_id uuid NOT NULL REFERENCES entities.seo_reports(id) ON DELETE CASCADE,
        url text NOT NULL,
        issue_type text NOT NULL,
        severity text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX seo_issues_tenant_created_idx ON entities.seo_issues (tenant_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX seo_issues_report_idx ON entities.seo_issues (tenant_id, report_id, position)`);
    await q.query(`
      CREATE TABLE entities.pixels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL UNIQUE,
        enabled boolean NOT NULL DEFAULT true,
        track_pageviews boolean NOT NULL DEFAULT true,
        track_events boolean NOT NULL DEFAULT true,
        track_sessions boolean NOT NULL DEFAULT true,
        sample_rate float8 NOT NULL DEFAULT 1.0 CHECK (sample_rate BETWEEN 0 AND 1),
        allowed_origins text[] NOT NULL DEFAULT '{*}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE entities.pixel_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        pixel_id uuid NOT NULL REFERENCES entities.pixels(id) ON DELETE CASCADE,
        event text NOT NULL,
        url text NOT NULL,
        referrer text,
        user_agent text,
        origin text,
        properties jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX pixel_events_tenant_created_idx ON entities.pixel_events (tenant_id, created_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE entities.pixel_events`);
    await q.query(`DROP TABLE entities.pixels`);
    await q.query(`DROP TABLE entities.seo_issues`);
    await q.query(`DROP TABLE entities.seo_reports`);
  }
}
