import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testPlatform } from './global';
import { gqlData, rest, PASSWORD, uniqueEmail, uniqueIp } from './client';

export interface TestTenant {
  tenant_id: string;
  slug: string;
  public_key: string;
  secret_key: string;
}

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

/** A tenant made by the real bootstrap CLI (`npm run tenant:create`) against the test database. */
export async function createTenant(options: { name?: string; requireEmailVerification?: boolean } = {}): Promise<TestTenant> {
  const args = ['-r', '@swc-node/register', 'scripts/tenant-create.ts', '--name', options.name ?? `Tenant ${Math.random().toString(36).slice(2, 8)}`, '--json'];
  if (options.requireEmailVerification) args.push('--require-email-verification');
  const { stdout } = await run(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testPlatform().databaseUrl, LOG_LEVEL: 'error' },
  });
  return JSON.parse(stdout);
}

export interface TestUser {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers an end user through REST (tenant without email verification). */
export async function registerUser(tenant: TestTenant, email = uniqueEmail()): Promise<TestUser> {
  const { status, body } = await rest('POST', '/v1/auth/register', { email, password: PASSWORD }, { apiKey: tenant.public_key, ip: uniqueIp() });
  if (status !== 201) throw new Error(`register failed: ${status} ${JSON.stringify(body)}`);
  return { id: body.user.id, email, accessToken: body.access_token, refreshToken: body.refresh_token };
}

/** The newest dev-mailbox email to `to`, read with the tenant's secret key over GraphQL. */
export async function latestMail(tenant: TestTenant, to: string): Promise<{ subject: string; text: string; kind: string } | undefined> {
  const data = await gqlData<{ devMailbox: Array<{ subject: string; text: string; kind: string }> }>(
    `query($to: String) { devMailbox(to: $to, first: 1) { subject text kind } }`,
    { to },
    { bearer: tenant.secret_key },
  );
  return data.devMailbox[0];
}

export function tokenFromMail(text: string): string {
  const match = /Token: (\S+)/.exec(text);
  if (!match) throw new Error(`no token in mail: ${text}`);
  return match[1];
}
