import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { gqlData, rest, uniqueEmail, PASSWORD } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import type { TestTenant } from '../helpers/tenants';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const CLI = ['-r', '@swc-node/register', 'scripts/tenant-create.ts'];

function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: testPlatform().databaseUrl, LOG_LEVEL: 'error' };
}

/** The real CLI against the test database (the other tests use the in-process factory). */
async function createTenant(options: { name?: string; requireEmailVerification?: boolean } = {}): Promise<TestTenant> {
  const args = [...CLI, '--name', options.name ?? `Cli ${Math.random().toString(36).slice(2, 8)}`, '--json'];
  if (options.requireEmailVerification) args.push('--require-email-verification');
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, env: cliEnv() });
  return JSON.parse(stdout);
}

describe('npm run tenant:create', () => {
  // Each run of the CLI is a process of its own (seconds): the ones the tests read start together.
  let acme: TestTenant;
  let verifying: TestTenant;
  before(async () => {
    [acme, verifying] = await Promise.all([createTenant({ name: 'Acme Rockets' }), createTenant({ requireEmailVerification: true })]);
  });

  it('prints only the tenant id, slug and the two keys as JSON', async () => {
    const tenant = acme;
    assert.deepEqual(Object.keys(tenant).sort(), ['public_key', 'secret_key', 'slug', 'tenant_id']);
    assert.match(tenant.public_key, /^pk_live_/);
    assert.match(tenant.secret_key, /^sk_live_/);
    assert.match(tenant.slug, /^acme-rockets/);
  });

  it('gives a secret key with all scopes and a public key for any origin', async () => {
    const tenant = acme;
    const data = await gqlData(`{ currentTenant { id requireEmailVerification } apiKeys { items { type scopes allowedOrigins } } }`, {}, { bearer: tenant.secret_key });
    assert.equal(data.currentTenant.id, tenant.tenant_id);
    assert.equal(data.currentTenant.requireEmailVerification, false);
    const byType = Object.fromEntries(data.apiKeys.items.map((k: { type: string }) => [k.type, k]));
    assert.deepEqual(byType.secret.scopes, ['*']);
    assert.deepEqual(byType.public.allowedOrigins, ['*']);
    const register = await rest('POST', '/v1/auth/register', { email: uniqueEmail(), password: PASSWORD }, { apiKey: tenant.public_key, origin: 'https://anywhere.example' });
    assert.equal(register.status, 201);
  });

  it('--require-email-verification turns verification on', async () => {
    const tenant = verifying;
    const data = await gqlData(`{ currentTenant { requireEmailVerification } }`, {}, { bearer: tenant.secret_key });
    assert.equal(data.currentTenant.requireEmailVerification, true);
  });

  it('refuses a taken slug and a missing name with a clear message', async () => {
    const env = cliEnv();
    const taken = assert.rejects(run(process.execPath, [...CLI, '--name', 'Again', '--slug', acme.slug, '--json'], { cwd: ROOT, env }), (error: any) => {
      assert.match(error.stderr, /SLUG_TAKEN/);
      assert.doesNotMatch(error.stderr, /\n\s+at /, 'no stack trace');
      return true;
    });
    const nameless = assert.rejects(run(process.execPath, [...CLI, '--json'], { cwd: ROOT, env }), (error: any) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /Usage: npm run tenant:create/);
      return true;
    });
    await Promise.all([taken, nameless]);
  });
});
