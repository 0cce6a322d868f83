import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { gqlData, rest, uniqueEmail, PASSWORD } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant } from '../helpers/tenants';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

describe('npm run tenant:create', () => {
  it('prints only the tenant id, slug and the two keys as JSON', async () => {
    const tenant = await createTenant({ name: 'Acme Rockets' });
    assert.deepEqual(Object.keys(tenant).sort(), ['public_key', 'secret_key', 'slug', 'tenant_id']);
    assert.match(tenant.public_key, /^pk_live_/);
    assert.match(tenant.secret_key, /^sk_live_/);
    assert.match(tenant.slug, /^acme-rockets/);
  });

  it('gives a secret key with all scopes and a public key for any origin', async () => {
    const tenant = await createTenant();
    const data = await gqlData(`{ currentTenant { id requireEmailVerification } apiKeys { type scopes allowedOrigins } }`, {}, { bearer: tenant.secret_key });
    assert.equal(data.currentTenant.id, tenant.tenant_id);
    assert.equal(data.currentTenant.requireEmailVerification, false);
    const byType = Object.fromEntries(data.apiKeys.map((k: { type: string }) => [k.type, k]));
    assert.deepEqual(byType.secret.scopes, ['*']);
    assert.deepEqual(byType.public.allowedOrigins, ['*']);
    const register = await rest('POST', '/v1/auth/register', { email: uniqueEmail(), password: PASSWORD }, { apiKey: tenant.public_key, origin: 'https://anywhere.example' });
    assert.equal(register.status, 201);
  });

  it('--require-email-verification turns verification on', async () => {
    const tenant = await createTenant({ requireEmailVerification: true });
    const data = await gqlData(`{ currentTenant { requireEmailVerification } }`, {}, { bearer: tenant.secret_key });
    assert.equal(data.currentTenant.requireEmailVerification, true);
  });

  it('refuses a taken slug and a missing name with a clear message', async () => {
    const tenant = await createTenant();
    const env = { ...process.env, DATABASE_URL: testPlatform().databaseUrl, LOG_LEVEL: 'error' };
    const cli = ['-r', '@swc-node/register', 'scripts/tenant-create.ts'];
    await assert.rejects(run(process.execPath, [...cli, '--name', 'Again', '--slug', tenant.slug, '--json'], { cwd: ROOT, env }), (error: any) => {
      assert.match(error.stderr, /SLUG_TAKEN/);
      return true;
    });
    await assert.rejects(run(process.execPath, [...cli, '--json'], { cwd: ROOT, env }), (error: any) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /Usage: npm run tenant:create/);
      return true;
    });
  });
});
