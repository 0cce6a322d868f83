import assert from 'node:assert/strict';
import { testPlatform } from '../helpers/global';
import { PASSWORD, rest, uniqueEmail, uniqueIp } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { createOrganization, uniqueSlug } from '../tenancy/organization-helpers';
import { createRecord, createSchema, inOrganization } from './entity-helpers';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ApiClient } = require('../fixtures/seed-api-client');

describe('/v1/api/usage/entity-usage', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let owner: TestUser;
  let outsider: TestUser;
  let org: { id: string };

  before(async () => {
    tenant = await createTenant({ name: 'Entity Usage Co' });
    [owner, outsider] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
    org = await createOrganization(tenant, owner, 'Counted');
    const as = inOrganization(tenant, owner, org.id);
    const notes = await createSchema(as, { name: 'Notes', slug: 'notes', fields_definition: { text: { type: 'string' } } });
    await createSchema(as, { name: 'Empty', slug: 'empty', fields_definition: { text: { type: 'string' } } });
    for (const text of ['a', 'b', 'c']) await createRecord(as, notes.id, { text });
  });

  const usageOf = (organizationId: string, options: Parameters<typeof rest>[3]) =>
    rest('GET', `/v1/api/usage/entity-usage?organization_id=${organizationId}`, undefined, options);

  it("counts the organization's schemas and records, per schema, for its members (the seed ApiClient unchanged)", async () => {
    const email = uniqueEmail('entity-usage');
    await registerUser(tenant, email);
    const api = new ApiClient(tenant.public_key, testPlatform().routerUrl);
    await api.auth.login(email, PASSWORD);
    const mine = await api.organizations.create('Seed Usage', uniqueSlug('seed-usage'));
    assert.deepEqual(await api.usage.getEntityUsage(mine.id), { organization_id: mine.id, schemas_count: 0, active_schemas_count: 0, records_count: 0, schemas: [] });

    const answer = await usageOf(org.id, { apiKey: tenant.public_key, bearer: owner.accessToken, ip: uniqueIp() });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.organization_id, org.id);
    assert.equal(answer.body.schemas_count, 2);
    assert.equal(answer.body.records_count, 3);
    assert.deepEqual(answer.body.schemas.map((s: any) => [s.slug, s.records_count]), [['empty', 0], ['notes', 3]]);
    const server = await usageOf(org.id, { bearer: tenant.secret_key });
    assert.equal(server.body.records_count, 3, "a secret key is the tenant's server");
  });

  it('non-members, other tenants, a public key alone and bad ids get nothing', async () => {
    const nonMember = await usageOf(org.id, { apiKey: tenant.public_key, bearer: outsider.accessToken, ip: uniqueIp() });
    assert.equal(nonMember.status, 404);
    const other = await createTenant({ name: 'Entity Usage Other' });
    const theirs = await usageOf(org.id, { bearer: other.secret_key });
    assert.deepEqual([theirs.body.schemas_count, theirs.body.records_count], [0, 0], "another tenant's server sees none of this tenant's rows");
    assert.equal((await usageOf(org.id, { apiKey: tenant.public_key, ip: uniqueIp() })).status, 401);
    const malformed = await usageOf('not-a-uuid', { bearer: tenant.secret_key });
    assert.equal(malformed.status, 422);
    const missing = await rest('GET', '/v1/api/usage/entity-usage', undefined, { bearer: tenant.secret_key });
    assert.equal(missing.status, 422);
    assert.match(JSON.stringify(missing.body), /organization_id/);
  });
});
