import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The drive: folders (materialized path, names unique per parent) and files, each owned by an
 * end user or by the tenant (user_id null). A folder with files or subfolders cannot be deleted
 * (RESTRICT backs the service's 409).
 */
export class Drive1764100000700 implements MigrationInterface {
  name = 'Drive1764100000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entities.drive_folders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        user_id uuid,
        parent_id uuid REFERENCES entities.drive_folders(id) ON DELETE RESTRICT,
        name text NOT NULL,
        path text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX drive_folders_name_key ON entities.drive_folders (tenant_id, user_id, parent_id, lower(name)) NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX drive_folders_path_idx ON entities.drive_folders (tenant_id, user_id, path text_pattern_ops)`);
    await q.query(`
      CREATE TABLE entities.drive_files (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        user_id uuid,
        folder_id uuid REFERENCES entities.drive_folders(id) ON DELETE RESTRICT,
        filename text NOT NULL,
        original_filename text NOT NULL,
        file_size bigint NOT NULL CHECK (file_size >= 0),
        content_type text NOT NULL,
        storage_provider text NOT NULL,
        storage_key text NOT NULL,
        description text,
        extra_metadata jsonb,
        is_shared boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX drive_files_owner_folder_idx ON entities.drive_files (tenant_id, user_id, folder_id, created_at DESC)`);
    await q.query(`CREATE INDEX drive_files_shared_idx ON entities.drive_files (tenant_id, created_at DESC) WHERE is_shared`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE entities.drive_files`);
    await q.query(`DROP TABLE entities.drive_folders`);
  }
}
