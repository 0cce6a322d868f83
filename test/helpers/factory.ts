import type { DataSource } from 'typeorm';
import { bootstrapTenant, tenancyDataSource, type BootstrappedTenant } from '../../scripts/tenant-bootstrap';
import { ApiKey } from '../../subgraphs/tenancy/api-key/api-key.entity';
import { ApiKeyService, type CreateApiKeyInput } from '../../subgraphs/tenancy/api-key/api-key.service';
import { AdminWorkspace, type WorkspaceRole } from '../../subgraphs/tenancy/admin/admin.entity';
import { AdminService } from '../../subgraphs/tenancy/admin/admin.service';
import { AuthService } from '../../subgraphs/tenancy/auth/auth.service';
import { MailService } from '../../subgraphs/tenancy/mail/mail.service';
import type { RateLimitTier } from '../../src/rate-limit-tiers';
import { onPlatformStop, testPlatform } from './global';

/**
 * Tenants, keys and end users made in-process on the test database, through the same tenancy
 * services the CLI and the subgraph use (no SQL of its own, no process per tenant). One data
 * source per test process, closed before the platform stops.
 */
let dataSource: Promise<DataSource> | undefined;

function database(): Promise<DataSource> {
  if (!dataSource) {
    dataSource = tenancyDataSource(testPlatform().databaseUrl, 4).initialize();
    onPlatformStop(async () => (await dataSource)?.destroy());
  }
  return dataSource;
}

let counter = 0;
/** A name no other tenant of this run has (slugs are unique). */
function uniqueName(): string {
  counter += 1;
  return `Tenant ${process.pid}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Enterprise unless asked: the suite makes many requests per tenant, and only the rate-limit
 * tests (test/router/rate-limit-tiers*.test.ts) mean to reach a tier's limit.
 */
export async function makeTenant(options: { name?: string; requireEmailVerification?: boolean; tier?: RateLimitTier } = {}): Promise<BootstrappedTenant> {
  const { name = uniqueName(), requireEmailVerification, tier = 'enterprise' } = options;
  return bootstrapTenant(await database(), { name, requireEmailVerification, tier });
}

/** An extra API key of a tenant (e.g. a secret key with a few scopes, a public key for one origin). */
export async function makeApiKey(tenantId: string, input: Omit<CreateApiKeyInput, 'name'> & { name?: string }): Promise<string> {
  const source = await database();
  const created = await source.transaction((manager) => new ApiKeyService(source).create(manager, tenantId, { name: 'Test key', ...input }));
  return created.key;
}

/**
 * Lets a key's expiry (its own, or the end of a rotation's grace period) pass now: tests check
 * the scheduled time from the API's answer and its effect from here, instead of sleeping until it.
 */
export async function expireApiKeyNow(tenantId: string, id: string): Promise<void> {
  const result = await (await database()).getRepository(ApiKey).update({ tenantId, id }, { expiresAt: new Date(Date.now() - 1000) });
  if (result.affected !== 1) throw new Error(`no API key ${id} in tenant ${tenantId}`);
}

export interface MadeUser {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** A signed-in end user of a tenant that does not require email verification (the registration flow itself). */
export async function makeUser(tenantId: string, email: string, password: string, ip: string): Promise<MadeUser> {
  const source = await database();
  const { config } = testPlatform();
  const auth = new AuthService(source, new MailService(source, config.smtpUrl, config.mailFrom), config);
  const outcome = await auth.register({ requestId: 'test-factory', ip, service: 'test-factory' }, tenantId, { email, password });
  if (outcome.verificationRequired) throw new Error('makeUser needs a tenant without email verification');
  return { id: outcome.tokens.user.id, email, accessToken: outcome.tokens.accessToken, refreshToken: outcome.tokens.refreshToken };
}

/**
 * A tenant admin account (never the operator: only the setup endpoint makes that one). Call
 * test/admin/admin-helpers.ts `operator()` first, so setup has run while no admin existed.
 */
export async function makeAdmin(username: string, password: string): Promise<string> {
  const source = await database();
  const admin = await source.transaction((manager) => new AdminService(source, testPlatform().config).create(manager, username, password));
  return admin.id;
}

/** Makes a tenant admin a member of a workspace made without one (e.g. by createTenant). */
export async function addAdminToWorkspace(adminId: string, tenantId: string, role: WorkspaceRole): Promise<void> {
  await (await database()).getRepository(AdminWorkspace).insert({ adminId, tenantId, role });
}
