import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EntitiesInit1732000000004 implements MigrationInterface {
  name = 'EntitiesInit1732000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entities.entity_schemas (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        description text,
        fields jsonb NOT NULL DEFAULT '[]',
        created_by_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT entity_schemas_tenant_name_key UNIQUE (tenant_id, name)
      )`);
    await q.query(`CREATE INDEX entity_schemas_creator_idx ON entities.entity_schemas (tenant_id, created_by_user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE entities.entity_schemas`);
  }
}
