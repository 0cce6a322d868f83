import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AgentsInit1732000000003 implements MigrationInterface {
  name = 'AgentsInit1732000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agents.agents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        owner_user_id uuid,
        name text NOT NULL,
        description text,
        model text NOT NULL,
        system_prompt text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX agents_tenant_idx ON agents.agents (tenant_id, created_at, id)`);
    await q.query(`CREATE INDEX agents_owner_idx ON agents.agents (tenant_id, owner_user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agents.agents`);
  }
}
