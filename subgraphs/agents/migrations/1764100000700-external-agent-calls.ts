import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Calls reported by external agents (issue #8): analytics per agent, user and organization. */
export class ExternalAgentCalls1764100000700 implements MigrationInterface {
  name = 'ExternalAgentCalls1764100000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agents.external_agent_calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        external_agent_id uuid NOT NULL,
        user_id uuid,
        organization_id uuid,
        input_tokens integer NOT NULL CHECK (input_tokens >= 0),
        output_tokens integer NOT NULL CHECK (output_tokens >= 0),
        total_tokens integer NOT NULL CHECK (total_tokens >= 0),
        cost_usd numeric(20, 8) NOT NULL CHECK (cost_usd >= 0),
        duration_ms integer NOT NULL CHECK (duration_ms >= 0),
        status text NOT NULL CHECK (status IN ('SUCCESS', 'ERROR')),
        error_message text,
        call_metadata jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The analytics filters: per agent, per user, per organization, newest first.
    await q.query(`CREATE INDEX external_agent_calls_agent_idx ON agents.external_agent_calls (tenant_id, external_agent_id, created_at DESC)`);
    await q.query(`CREATE INDEX external_agent_calls_user_idx ON agents.external_agent_calls (tenant_id, user_id, created_at DESC)`);
    await q.query(`CREATE INDEX external_agent_calls_org_idx ON agents.external_agent_calls (tenant_id, organization_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agents.external_agent_calls`);
  }
}
