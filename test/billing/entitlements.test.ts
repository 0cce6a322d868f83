import assert from 'node:assert/strict';
import { eventually, rest } from '../helpers/client';
import { makeApiKey } from '../helpers/factory';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';

describe('entitlements (/api/v1/entitlements, the workspace tier)', () => {
  let tenant: TestTenant;
  const asKey = () => ({ bearer: tenant.secret_key });

  before(async () => {
    tenant = await createTenant({ tier: 'free' });
  });

  it('records usage up to the tier limit, then answers 403 feature_limit_reached; check says LIMIT_EXCEEDED', async () => {
    const recorded = await rest('POST', '/api/v1/entitlements/usage', { feature: 'schemas', quantity: 5, metadata: { source: 'test' } }, asKey());
    assert.equal(recorded.status, 200, JSON.stringify(recorded.body));
    assert.deepEqual(recorded.body.data, { recorded: true, feature: 'schemas', current_usage: 5, limit: 5 });
    const over = await rest('POST', '/api/v1/entitlements/usage', { feature: 'schemas', quantity: 1 }, asKey());
    assert.equal(over.status, 403);
    assert.equal(over.body.error, 'feature_limit_reached');
    const check = await rest('GET', '/api/v1/entitlements/check?feature=schemas', undefined, asKey());
    assert.equal(check.status, 200);
    assert.equal(check.body.data.allowed, false);
    assert.equal(check.body.data.reason, 'LIMIT_EXCEEDED');
    assert.equal(check.body.data.current_usage, 5);
    assert.equal(check.body.data.available, 0);
    assert.match(check.body.data.upgrade_url, /\/upgrade$/);
    const fits = await rest('GET', '/api/v1/entitlements/check?feature=agents&quantity=3', undefined, asKey());
    assert.deepEqual({ ...fits.body.data }, { allowed: true, feature: 'agents', reason: null, message: null, current_usage: 0, limit: 3, available: 3, upgrade_url: null });
  });

  it('counts end users from sign-ups, and the summary shows percentages and reset dates', async () => {
    await registerUser(tenant);
    await eventually(async () => {
      const check = await rest('GET', '/api/v1/entitlements/check?feature=end_users', undefined, asKey());
      return check.body.data.current_usage === 1 ? true : undefined;
    });
    await rest('POST', '/api/v1/entitlements/usage', { feature: 'api_calls', quantity: 5001 }, asKey());
    const summary = await rest('GET', '/api/v1/entitlements/summary', undefined, asKey());
    assert.equal(summary.status, 200);
    assert.equal(summary.body.data.workspace_id, tenant.tenant_id);
    assert.equal(summary.body.data.tier, 'free');
    const { entitlements } = summary.body.data;
    assert.deepEqual(entitlements.schemas, { used: 5, limit: 5, available: 0, percentage: 100 });
    assert.equal(entitlements.api_calls.percentage, 50.01);
    assert.ok(new Date(entitlements.api_calls.reset_at).getTime() > Date.now());
    assert.equal(entitlements.storage.unit, 'bytes');
    assert.equal(entitlements.end_users.used, 1);
  });

  it('validates input, needs the entitlements scopes, and keeps tenants apart', async () => {
    const unknown = await rest('GET', '/api/v1/entitlements/check?feature=posts', undefined, asKey());
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.error, 'validation_failed');
    const readOnly = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['entitlements:read'] });
    const denied = await rest('POST', '/api/v1/entitlements/usage', { feature: 'agents' }, { bearer: readOnly });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error, 'access_denied');
    const other = await createTenant({ tier: 'free' });
    const theirs = await rest('GET', '/api/v1/entitlements/summary', undefined, { bearer: other.secret_key });
    assert.equal(theirs.body.data.entitlements.schemas.used, 0);
  });
});
