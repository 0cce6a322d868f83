import { makeTenant, makeUser } from './factory';
import { gqlData, PASSWORD, uniqueEmail, uniqueIp } from './client';

export interface TestTenant {
  tenant_id: string;
  slug: string;
  public_key: string;
  secret_key: string;
}

/**
 * A tenant with a secret key (all scopes) and a public key (any origin), made in-process by the
 * same code as `npm run tenant:create` (test/e2e/tenant-create.test.ts tests the CLI itself).
 */
export function createTenant(options: Parameters<typeof makeTenant>[0] = {}): Promise<TestTenant> {
  return makeTenant(options);
}

export interface TestUser {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** A signed-in end user (made in-process; tests of registration itself call the API). */
export function registerUser(tenant: TestTenant, email = uniqueEmail()): Promise<TestUser> {
  return makeUser(tenant.tenant_id, email, PASSWORD, uniqueIp());
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
