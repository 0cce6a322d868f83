import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Agent settings (issue #8), conversations with their messages, and executions (one per chat call). */
export class Agents1764100000500 implements MigrationInterface {
  name = 'Agents1764100000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE agents.agents
        ADD COLUMN temperature double precision,
        ADD COLUMN response_type text NOT NULL DEFAULT 'text',
        ADD COLUMN is_active boolean NOT NULL DEFAULT true,
        ADD COLUMN rag_provider text NOT NULL DEFAULT 'NONE',
        ADD COLUMN rag_config jsonb,
        ADD COLUMN mcp_servers jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`
      CREATE TABLE agents.conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        agent_id uuid NOT NULL REFERENCES agents.agents (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        title text,
        status text NOT NULL DEFAULT 'ACTIVE',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX conversations_user_idx ON agents.conversations (tenant_id, agent_id, user_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE agents.messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        conversation_id uuid NOT NULL REFERENCES agents.conversations (id) ON DELETE CASCADE,
        position serial,
        role text NOT NULL,
        content text NOT NULL,
        tokens_used integer NOT NULL DEFAULT 0,
        metadata jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX messages_conversation_idx ON agents.messages (conversation_id, position)`);
    await q.query(`
      CREATE TABLE agents.executions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        agent_id uuid NOT NULL REFERENCES agents.agents (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        organization_id uuid,
        conversation_id uuid REFERENCES agents.conversations (id) ON DELETE SET NULL,
        input_text text NOT NULL,
        output_text text,
        model text NOT NULL,
        input_tokens integer NOT NULL DEFAULT 0,
        output_tokens integer NOT NULL DEFAULT 0,
        cost_micro_usd bigint NOT NULL DEFAULT 0,
        execution_time_ms integer NOT NULL DEFAULT 0,
        status text NOT NULL,
        error_message text,
        metadata jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX executions_user_idx ON agents.executions (tenant_id, agent_id, user_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agents.executions`);
    await q.query(`DROP TABLE agents.messages`);
    await q.query(`DROP TABLE agents.conversations`);
    await q.query(`ALTER TABLE agents.agents DROP COLUMN temperature, DROP COLUMN response_type, DROP COLUMN is_active, DROP COLUMN rag_provider,
      DROP COLUMN rag_config, DROP COLUMN mcp_servers`);
  }
}
