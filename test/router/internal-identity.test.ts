import assert from 'node:assert/strict';
import { signIdentity } from '../../src/identity';
import { testPlatform } from '../helpers/global';
import { createTenant } from '../helpers/tenants';

/** Requests straight to a subgraph, bypassing the router. */
async function direct(extensions: Record<string, unknown> | undefined) {
  const url = testPlatform().config.subgraphUrls.tenancy;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ currentTenant { id name } }', extensions }),
  });
  return { status: response.status, body: await response.json() };
}

describe('internal identity between router and subgraphs', () => {
  it('a subgraph rejects a request without the signed identity', async () => {
    const { status, body } = await direct(undefined);
    assert.equal(status, 401);
    assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
  });

  it('a subgraph rejects a forged identity (wrong secret)', async () => {
    const tenant = await createTenant();
    const forged = signIdentity({ requestId: 'x', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'secret', scopes: ['*'] }, 'not-the-real-secret-0123456789abcdef');
    const { status } = await direct({ platformIdentity: forged });
    assert.equal(status, 401);
  });

  it('a subgraph rejects a tampered payload and a stale signature', async () => {
    const { internalSecret } = testPlatform().config;
    const tenant = await createTenant();
    const genuine = signIdentity({ requestId: 'x', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'public' }, internalSecret);
    const [payload, mac] = genuine.split('.');
    const widened = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('"public"', '"secret"')).toString('base64url');
    assert.equal((await direct({ platformIdentity: `${widened}.${mac}` })).status, 401);
    const stale = signIdentity({ requestId: 'x', ip: '127.0.0.1', tenantId: tenant.tenant_id }, internalSecret, Date.now() - 10 * 60_000);
    assert.equal((await direct({ platformIdentity: stale })).status, 401);
  });

  it('a subgraph serves a request the router signed', async () => {
    const tenant = await createTenant({ name: 'Signed Inc' });
    const token = signIdentity({ requestId: 'x', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'secret', scopes: ['*'] }, testPlatform().config.internalSecret);
    const { status, body } = await direct({ platformIdentity: token });
    assert.equal(status, 200);
    assert.equal(body.data.currentTenant.name, 'Signed Inc');
  });
});
