import assert from 'node:assert/strict';
import { testPlatform } from '../helpers/global';
import { PASSWORD, rest, uniqueEmail } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { createOrganization, outbox, uniqueSlug } from '../tenancy/organization-helpers';
import { createRecord, createSchema, inOrganization, PRODUCT_FIELDS } from './entity-helpers';

// The client exactly as the seed document ships it.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ApiClient } = require('../fixtures/seed-api-client');

describe('/v1/entity schemas and records (REST)', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let owner: TestUser;
  let outsider: TestUser;
  let org: { id: string };
  let otherOrg: { id: string };

  before(async () => {
    tenant = await createTenant({ name: 'Entities Co' });
    [owner, outsider] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
    org = await createOrganization(tenant, owner, 'Shop');
    otherOrg = await createOrganization(tenant, outsider, 'Elsewhere');
  });

  it("the seed ApiClient's entitySchemas and entityRecords methods work unchanged", async () => {
    const email = uniqueEmail('seed-entities');
    await registerUser(tenant, email);
    const api = new ApiClient(tenant.public_key, testPlatform().routerUrl);
    await api.auth.login(email, PASSWORD);
    const mine = await api.organizations.create('Seed Shop', uniqueSlug('seed-shop'));
    api.setOrganizationId(mine.id);

    const schema = await api.entitySchemas.create({ name: 'Products', slug: 'products', description: 'Catalog', fields_definition: { name: { type: 'string', required: true }, price: { type: 'float', min: 0 } } });
    assert.equal(schema.slug, 'products');
    assert.equal(schema.version, 1);
    assert.equal(schema.organization_id, mine.id);
    assert.deepEqual(schema.fields_definition, { name: { type: 'string', required: true }, price: { type: 'float', required: false, min: 0 } });
    const listed = await api.entitySchemas.list(1, 10);
    assert.equal(listed.total, 1);
    assert.deepEqual(listed.schemas.map((s: { id: string }) => s.id), [schema.id]);
    assert.equal((await api.entitySchemas.get(schema.id)).name, 'Products');
    const updated = await api.entitySchemas.update(schema.id, { description: 'The catalog' });
    assert.equal(updated.version, 1, 'no new version without a fields change');

    const record = await api.entityRecords.create(schema.id, { name: 'Lamp', price: 20 });
    assert.deepEqual(record.data, { name: 'Lamp', price: 20 });
    assert.equal((await api.entityRecords.get(record.id)).data.name, 'Lamp');
    assert.equal((await api.entityRecords.update(record.id, { name: 'Desk lamp', price: 25 })).data.name, 'Desk lamp');
    const found = await api.entityRecords.search({ schema_id: schema.id, query: { price: { operator: 'gt', value: 21 } }, page: 1, size: 10, order_by: 'price', order_dir: 'asc' });
    assert.equal(found.total, 1);
    assert.equal(found.records[0].id, record.id);
    await assert.rejects(api.entitySchemas.delete(schema.id), /record/);
    assert.equal((await api.entityRecords.delete(record.id)).id, record.id);
    assert.equal((await api.entitySchemas.delete(schema.id)).id, schema.id);
    await assert.rejects(api.entitySchemas.get(schema.id), /not found/i);
  });

  it('creates records validated against the schema: 422 lists every failing field, nothing is written', async () => {
    const as = inOrganization(tenant, owner, org.id);
    const schema = await createSchema(as, { name: 'Catalog', slug: 'catalog', fields_definition: PRODUCT_FIELDS });
    const invalid = await rest('POST', '/v1/entity/records', { schema_id: schema.id, data: { sku: 'nope', stock: -1, category: 'music', extra: 1 } }, as);
    assert.equal(invalid.status, 422);
    assert.deepEqual(invalid.body.errors.map((e: { field: string }) => e.field).sort(), ['data.category', 'data.extra', 'data.sku', 'data.stock', 'data.title']);
    assert.match(invalid.body.detail, /data\.title is required/);
    const search = await rest('POST', '/v1/entity/records/search', { schema_id: schema.id }, as);
    assert.equal(search.body.total, 0);

    const record = await createRecord(as, schema.id, { title: 'Dune', price: 9.5, category: 'books' });
    assert.equal(record.created_by_id, owner.id);
    assert.equal(record.updated_by_id, owner.id);
    assert.equal(record.data.available, true, 'defaults apply');
    const types = (await outbox(tenant.tenant_id)).map((e) => e.type);
    assert.ok(types.includes('entity.schema.created') && types.includes('entity.record.created'));
  });

  it('names and slugs are unique per organization (409), not across organizations', async () => {
    const as = inOrganization(tenant, owner, org.id);
    await createSchema(as, { name: 'Orders', slug: 'orders', fields_definition: { total: { type: 'float' } } });
    const sameName = await rest('POST', '/v1/entity/schemas', { name: 'Orders', slug: 'orders-2', fields_definition: {} }, as);
    assert.equal(sameName.status, 409);
    assert.match(sameName.body.detail, /name/);
    const sameSlug = await rest('POST', '/v1/entity/schemas', { name: 'Orders 2', slug: 'orders', fields_definition: {} }, as);
    assert.equal(sameSlug.status, 409);
    assert.match(sameSlug.body.detail, /slug/);
    const elsewhere = await rest('POST', '/v1/entity/schemas', { name: 'Orders', slug: 'orders', fields_definition: {} }, inOrganization(tenant, outsider, otherOrg.id));
    assert.equal(elsewhere.status, 201);
    const badSlug = await rest('POST', '/v1/entity/schemas', { name: 'X', slug: 'Not A Slug', fields_definition: { a: { type: 'blob' } } }, as);
    assert.equal(badSlug.status, 422);
    assert.deepEqual(badSlug.body.errors.map((e: { field: string }) => e.field), ['slug']);
    const badFields = await rest('POST', '/v1/entity/schemas', { name: 'X', slug: 'x', fields_definition: { a: { type: 'blob' }, b: { type: 'enum' } } }, as);
    assert.equal(badFields.status, 422);
    assert.deepEqual(badFields.body.errors.map((e: { field: string }) => e.field), ['fields_definition.a.type', 'fields_definition.b.values']);
  });

  it('the version increments when fields_definition changes; existing records stay readable', async () => {
    const as = inOrganization(tenant, owner, org.id);
    const schema = await createSchema(as, { name: 'Books', slug: 'books', fields_definition: { title: { type: 'string' } } });
    const record = await createRecord(as, schema.id, { title: 'Emma' });
    const changed = await rest('PUT', `/v1/entity/schemas/${schema.id}`, { fields_definition: { title: { type: 'string' }, pages: { type: 'integer', required: true } } }, as);
    assert.equal(changed.status, 200);
    assert.equal(changed.body.version, 2);
    const same = await rest('PUT', `/v1/entity/schemas/${schema.id}`, { fields_definition: changed.body.fields_definition, is_active: false }, as);
    assert.equal(same.body.version, 2);
    assert.equal(same.body.is_active, false);
    const read = await rest('GET', `/v1/entity/records/${record.id}`, undefined, as);
    assert.deepEqual([read.status, read.body.data, read.body.schema_version], [200, { title: 'Emma' }, 1]);
    const inactive = await rest('POST', '/v1/entity/records', { schema_id: schema.id, data: { title: 'x', pages: 1 } }, as);
    assert.equal(inactive.status, 409);
    const stale = await rest('PUT', `/v1/entity/records/${record.id}`, { data: { title: 'Emma' } }, as);
    assert.equal(stale.status, 422, 'an update is validated against the current version');
    assert.deepEqual(stale.body.errors, [{ field: 'data.pages', message: 'is required' }]);
  });

  it('delete is refused (409) while records exist, unless forced; the records go with it', async () => {
    const as = inOrganization(tenant, owner, org.id);
    const schema = await createSchema(as, { name: 'Temp', slug: 'temp', fields_definition: { n: { type: 'integer' } } });
    const record = await createRecord(as, schema.id, { n: 1 });
    const refused = await rest('DELETE', `/v1/entity/schemas/${schema.id}`, undefined, as);
    assert.equal(refused.status, 409);
    assert.equal((await rest('GET', `/v1/entity/records/${record.id}`, undefined, as)).status, 200);
    const forced = await rest('DELETE', `/v1/entity/schemas/${schema.id}?force=true`, undefined, as);
    assert.equal(forced.status, 200);
    assert.equal((await rest('GET', `/v1/entity/records/${record.id}`, undefined, as)).status, 404);
    const deleted = (await outbox(tenant.tenant_id)).find((e) => e.type === 'entity.schema.deleted' && e.payload.schemaId === schema.id);
    assert.equal(deleted?.payload.recordsDeleted, 1);
  });

  it('isolates organizations and tenants: non-members and other tenants get 404', async () => {
    const as = inOrganization(tenant, owner, org.id);
    const schema = await createSchema(as, { name: 'Secret', slug: 'secret', fields_definition: { v: { type: 'string' } } });
    const record = await createRecord(as, schema.id, { v: 'hidden' });
    // A non-member naming the organization: as if it did not exist.
    const stranger = inOrganization(tenant, outsider, org.id);
    assert.equal((await rest('GET', '/v1/entity/schemas', undefined, stranger)).status, 404);
    assert.equal((await rest('GET', `/v1/entity/records/${record.id}`, undefined, stranger)).status, 404);
    // A member of another organization, naming their own: the ids are not there.
    const neighbour = inOrganization(tenant, outsider, otherOrg.id);
    for (const [method, path, body] of [
      ['GET', `/v1/entity/schemas/${schema.id}`],
      ['PUT', `/v1/entity/schemas/${schema.id}`, { name: 'taken' }],
      ['DELETE', `/v1/entity/schemas/${schema.id}?force=true`],
      ['GET', `/v1/entity/records/${record.id}`],
      ['PUT', `/v1/entity/records/${record.id}`, { data: { v: 'x' } }],
      ['DELETE', `/v1/entity/records/${record.id}`],
      ['POST', '/v1/entity/records', { schema_id: schema.id, data: { v: 'x' } }],
      ['POST', '/v1/entity/records/search', { schema_id: schema.id }],
    ] as const) {
      const answer = await rest(method, path, body, neighbour);
      assert.equal(answer.status, 404, `${method} ${path}: ${JSON.stringify(answer.body)}`);
    }
    // Another tenant's secret key.
    const other = await createTenant();
    assert.equal((await rest('GET', `/v1/entity/schemas/${schema.id}`, undefined, { bearer: other.secret_key, headers: { 'X-Organization-Id': org.id } })).status, 404);
    assert.equal((await rest('GET', `/v1/entity/records/${record.id}`, undefined, { bearer: other.secret_key, headers: { 'X-Organization-Id': org.id } })).status, 404);
    // The header, not the query string or the body, names the organization.
    const smuggled = await rest('GET', `/v1/entity/schemas?x_organization_id=${org.id}`, undefined, neighbour);
    assert.ok(!smuggled.body.schemas.some((s: { id: string }) => s.id === schema.id));
    // An end user must name an organization.
    const noHeader = await rest('GET', '/v1/entity/schemas', undefined, { apiKey: tenant.public_key, bearer: owner.accessToken });
    assert.equal(noHeader.status, 422);
    assert.equal(noHeader.body.errors[0].field, 'X-Organization-Id');
    assert.equal((await rest('GET', '/v1/entity/schemas', undefined, { ...as, headers: { 'X-Organization-Id': 'not-a-uuid' } })).status, 404);
  });

  it('a secret key without an organization works on the tenant’s own schemas', async () => {
    const key = { bearer: tenant.secret_key };
    const schema = await createSchema(key, { name: 'Tenant Settings', slug: 'tenant-settings', fields_definition: { k: { type: 'string' } } });
    assert.equal(schema.organization_id, null);
    const listed = await rest('GET', '/v1/entity/schemas?size=100', undefined, key);
    assert.deepEqual(listed.body.schemas.map((s: { id: string }) => s.id), [schema.id]);
    assert.equal((await rest('GET', '/v1/entity/schemas?size=101', undefined, key)).status, 422);
  });
});
