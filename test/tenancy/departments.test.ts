import assert from 'node:assert/strict';
import { rest, uniqueIp } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { asUser, createOrganization } from './organization-helpers';

describe('GET /v1/departments/{department_id}: members only', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let owner: TestUser;
  let outsider: TestUser;
  let departmentId: string;
  let organizationId: string;

  before(async () => {
    tenant = await createTenant();
    [owner, outsider] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
    organizationId = (await createOrganization(tenant, owner, 'Departments Co')).id;
    departmentId = (await rest('GET', `/v1/organizations/${organizationId}/departments`, undefined, asUser(tenant, owner))).body[0].id;
  });

  it('answers the documented body with a public key and the member named by user_id', async () => {
    const got = await rest('GET', `/v1/departments/${departmentId}?user_id=${owner.id}`, undefined, { apiKey: tenant.public_key, ip: uniqueIp() });
    assert.equal(got.status, 200);
    assert.deepEqual(Object.keys(got.body).sort(), ['created_at', 'description', 'id', 'is_active', 'is_default', 'name', 'organization_id', 'settings', 'updated_at']);
    assert.equal(got.body.organization_id, organizationId);
    assert.equal(got.body.is_default, true);
    assert.deepEqual(got.body.settings, {});
  });

  it('a signed-in member needs no user_id', async () => {
    const got = await rest('GET', `/v1/departments/${departmentId}`, undefined, asUser(tenant, owner));
    assert.equal(got.status, 200);
  });

  it('a non-member, another tenant, an unknown id → 404; no user at all → 422', async () => {
    assert.equal((await rest('GET', `/v1/departments/${departmentId}?user_id=${outsider.id}`, undefined, { apiKey: tenant.public_key })).status, 404);
    assert.equal((await rest('GET', `/v1/departments/${departmentId}`, undefined, asUser(tenant, outsider))).status, 404);
    const other = await createTenant();
    assert.equal((await rest('GET', `/v1/departments/${departmentId}?user_id=${owner.id}`, undefined, { apiKey: other.public_key })).status, 404);
    assert.equal((await rest('GET', `/v1/departments/${outsider.id}?user_id=${owner.id}`, undefined, { apiKey: tenant.public_key })).status, 404);
    const noUser = await rest('GET', `/v1/departments/${departmentId}`, undefined, { apiKey: tenant.public_key });
    assert.equal(noUser.status, 422);
    const badUser = await rest('GET', `/v1/departments/${departmentId}?user_id=nope`, undefined, { apiKey: tenant.public_key });
    assert.equal(badUser.status, 422);
  });
});
