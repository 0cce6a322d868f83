import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations inside a tenant, their members (with roles), invitations and departments. */
export class Organizations1764000000100 implements MigrationInterface {
  name = 'Organizations1764000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenancy.organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        slug text NOT NULL,
        description text,
        logo_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organizations_tenant_slug_key UNIQUE (tenant_id, slug)
      )`);
    await q.query(`
      CREATE TABLE tenancy.organization_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES tenancy.organizations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES tenancy.end_users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'developer')),
        is_active boolean NOT NULL DEFAULT true,
        is_default boolean NOT NULL DEFAULT false,
        joined_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT organization_members_org_user_key UNIQUE (organization_id, user_id)
      )`);
    await q.query(`CREATE INDEX organization_members_user_idx ON tenancy.organization_members (tenant_id, user_id)`);
    // One default organization per user.
    await q.query(`CREATE UNIQUE INDEX organization_members_default_idx ON tenancy.organization_members (tenant_id, user_id) WHERE is_default`);
    await q.query(`
      CREATE TABLE tenancy.organization_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES tenancy.organizations(id) ON DELETE CASCADE,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'developer')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'cancelled', 'expired')),
        token_hash text NOT NULL UNIQUE,
        invited_by_user_id uuid REFERENCES tenancy.end_users(id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        responded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one pending invitation per organization and email.
    await q.query(`CREATE UNIQUE INDEX organization_invitations_pending_idx ON tenancy.organization_invitations (organization_id, email) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX organization_invitations_email_idx ON tenancy.organization_invitations (tenant_id, email) WHERE status = 'pending'`);
    await q.query(`
      CREATE TABLE tenancy.departments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenancy.tenants(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES tenancy.organizations(id) ON DELETE CASCADE,
        name text NOT NULL,
        description text,
        is_default boolean NOT NULL DEFAULT false,
        is_active boolean NOT NULL DEFAULT true,
        settings jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX departments_org_idx ON tenancy.departments (tenant_id, organization_id)`);
    await q.query(`CREATE UNIQUE INDEX departments_default_idx ON tenancy.departments (organization_id) WHERE is_default`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tenancy.departments`);
    await q.query(`DROP TABLE tenancy.organization_invitations`);
    await q.query(`DROP TABLE tenancy.organization_members`);
    await q.query(`DROP TABLE tenancy.organizations`);
  }
}
