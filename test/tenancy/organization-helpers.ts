import { Client } from 'pg';
import { rest, uniqueIp } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { tokenFromMail, type TestTenant, type TestUser } from '../helpers/tenants';
import { awaitMail } from '../mail/mailbox';

/** One query on the test database (reads the outbox, or lets an expiry pass: see `expireInvitationNow`). */
export async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  const db = new Client({ connectionString: testPlatform().databaseUrl });
  await db.connect();
  try {
    return (await db.query(text, params)).rows as T[];
  } finally {
    await db.end();
  }
}

/** Event types written for the tenant, oldest first, with their payloads. */
export async function outbox(tenantId: string): Promise<Array<{ type: string; payload: any }>> {
  return sql(`SELECT type, payload FROM platform.outbox WHERE tenant_id = $1 ORDER BY created_at, id`, [tenantId]);
}

/** Lets an invitation's expiry pass now (tests read the expiry the API reports, then this). */
export async function expireInvitationNow(invitationId: string): Promise<void> {
  await sql(`UPDATE tenancy.organization_invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [invitationId]);
}

/** An end user's REST credentials: the tenant's public key and their access token. */
export const asUser = (tenant: TestTenant, user: TestUser) => ({ apiKey: tenant.public_key, bearer: user.accessToken, ip: uniqueIp() });

let slugCounter = 0;
export function uniqueSlug(prefix = 'org'): string {
  slugCounter += 1;
  return `${prefix}-${process.pid}-${slugCounter}-${Math.random().toString(36).slice(2, 6)}`;
}

/** An organization created over REST by `owner`. */
export async function createOrganization(tenant: TestTenant, owner: TestUser, name = 'Acme'): Promise<{ id: string; slug: string; name: string }> {
  const created = await rest('POST', '/v1/organizations', { name, slug: uniqueSlug() }, asUser(tenant, owner));
  if (created.status !== 201) throw new Error(`create organization: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

/** Tokens addMember already used: the mailbox's newest mail may still be an earlier one while the job runs. */
const usedTokens = new Set<string>();

/** `user` joins `organizationId` with `role` the documented way: invited by `inviter`, accepting the mailed token. */
export async function addMember(tenant: TestTenant, organizationId: string, inviter: TestUser, user: TestUser, role: string): Promise<void> {
  const invited = await rest('POST', `/v1/organizations/${organizationId}/invite`, { email: user.email, role }, asUser(tenant, inviter));
  if (invited.status !== 201) throw new Error(`invite: ${invited.status} ${JSON.stringify(invited.body)}`);
  const mail = await awaitMail(tenant, user.email, (m) => m.kind === 'organization_invitation' && !usedTokens.has(tokenFromMail(m.text)));
  const token = tokenFromMail(mail.text);
  usedTokens.add(token);
  const accepted = await rest('POST', '/v1/organizations/accept-invitation', { token }, asUser(tenant, user));
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}
