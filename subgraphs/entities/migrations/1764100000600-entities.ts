import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Entity schemas per organization (slug, version, is_active, typed field definitions) and their
 * records, with the indexes search uses: (tenant, schema, created_at) for the page order and a
 * GIN index on `data` for equality filters (containment).
 */
export class Entities1764100000600 implements MigrationInterface {
  name = 'Entities1764100000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE entities.entity_schemas
        ADD COLUMN organization_id uuid,
        ADD COLUMN slug text,
        ADD COLUMN version int NOT NULL DEFAULT 1,
        ADD COLUMN is_active boolean NOT NULL DEFAULT true`);
    // Earlier field types (number, date, json, reference) become their closest documented type.
    await q.query(`
      UPDATE entities.entity_schemas SET
        slug = regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g'),
        fields = COALESCE((
          SELECT jsonb_agg(f || jsonb_build_object('type', CASE f->>'type' WHEN 'number' THEN 'float' WHEN 'date' THEN 'datetime' WHEN 'json' THEN 'text' WHEN 'reference' THEN 'string' ELSE f->>'type' END))
          FROM jsonb_array_elements(fields) f), '[]')`);
    await q.query(`ALTER TABLE entities.entity_schemas ALTER COLUMN slug SET NOT NULL`);
    await q.query(`ALTER TABLE entities.entity_schemas DROP CONSTRAINT entity_schemas_tenant_name_key`);
    // A null organization is the tenant's own scope: NULLS NOT DISTINCT keeps names unique there too.
    await q.query(`CREATE UNIQUE INDEX entity_schemas_org_name_key ON entities.entity_schemas (tenant_id, organization_id, name) NULLS NOT DISTINCT`);
    await q.query(`CREATE UNIQUE INDEX entity_schemas_org_slug_key ON entities.entity_schemas (tenant_id, organization_id, slug) NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX entity_schemas_org_created_idx ON entities.entity_schemas (tenant_id, organization_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE entities.entity_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        organization_id uuid,
        schema_id uuid NOT NULL REFERENCES entities.entity_schemas(id) ON DELETE CASCADE,
        schema_version int NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_by_user_id uuid,
        updated_by_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX entity_records_schema_created_idx ON entities.entity_records (tenant_id, schema_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX entity_records_org_created_idx ON entities.entity_records (tenant_id, organization_id, created_at DESC, id)`);
    await q.query(`CREATE INDEX entity_records_data_idx ON entities.entity_records USING gin (data jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE entities.entity_records`);
    await q.query(`DROP INDEX entities.entity_schemas_org_created_idx`);
    await q.query(`DROP INDEX entities.entity_schemas_org_slug_key`);
    await q.query(`DROP INDEX entities.entity_schemas_org_name_key`);
    await q.query(`ALTER TABLE entities.entity_schemas ADD CONSTRAINT entity_schemas_tenant_name_key UNIQUE (tenant_id, name)`);
    await q.query(`ALTER TABLE entities.entity_schemas DROP COLUMN organization_id, DROP COLUMN slug, DROP COLUMN version, DROP COLUMN is_active`);
  }
}
