import assert from 'node:assert/strict';
import { gql, rest, type CallOptions } from '../helpers/client';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { createOrganization, sql } from '../tenancy/organization-helpers';
import { createRecord, createSchema, inOrganization } from './entity-helpers';

const ITEMS = [
  { name: 'alpha', price: 5, qty: 1, tag: 'red', on: true, at: '2024-01-01T00:00:00Z' },
  { name: 'Beta', price: 50, qty: 2, tag: 'blue', on: false, at: '2024-06-01T00:00:00Z' },
  { name: 'gamma', price: 100, qty: 3, tag: 'red', on: true, at: '2025-01-01T00:00:00+01:00' },
  { name: 'delta', price: 150.5, qty: 10, tag: 'green', on: false, at: '2025-06-01T12:00:00Z' },
];

describe('entity record search (typed filters compiled to parameterized SQL)', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let owner: TestUser;
  let as: CallOptions;
  let schemaId: string;
  const ids: Record<string, string> = {};

  before(async () => {
    tenant = await createTenant();
    owner = await registerUser(tenant);
    const org = await createOrganization(tenant, owner);
    as = inOrganization(tenant, owner, org.id);
    const schema = await createSchema(as, {
      name: 'Items',
      slug: 'items',
      fields_definition: {
        name: { type: 'string' },
        price: { type: 'float' },
        qty: { type: 'integer' },
        tag: { type: 'enum', values: ['red', 'blue', 'green'] },
        on: { type: 'boolean' },
        at: { type: 'datetime' },
      },
    });
    schemaId = schema.id;
    for (const item of ITEMS) ids[item.name] = (await createRecord(as, schemaId, item)).id;
  });

  const search = (query: unknown, params = '', body: Record<string, unknown> = {}) => rest('POST', `/v1/entity/records/search${params}`, { schema_id: schemaId, query, ...body }, as);
  async function names(query: unknown, params = '?order_by=qty&order_dir=asc'): Promise<string[]> {
    const found = await search(query, params);
    assert.equal(found.status, 200, JSON.stringify(found.body));
    return found.body.records.map((r: { data: { name: string } }) => r.data.name);
  }

  it('supports every operator, typed by the schema', async () => {
    assert.deepEqual(await names({ tag: 'red' }), ['alpha', 'gamma']);
    assert.deepEqual(await names({ price: 100 }), ['gamma'], 'a number compares as a number');
    assert.deepEqual(await names({ price: { operator: 'eq', value: 100.0 } }), ['gamma']);
    assert.deepEqual(await names({ tag: { operator: 'ne', value: 'red' } }), ['Beta', 'delta']);
    assert.deepEqual(await names({ price: { operator: 'gt', value: 50 } }), ['gamma', 'delta'], 'numerically, not as text (100 > 50)');
    assert.deepEqual(await names({ price: { operator: 'gte', value: 50 } }), ['Beta', 'gamma', 'delta']);
    assert.deepEqual(await names({ qty: { operator: 'lt', value: 3 } }), ['alpha', 'Beta']);
    assert.deepEqual(await names({ qty: { operator: 'lte', value: 3 } }), ['alpha', 'Beta', 'gamma']);
    assert.deepEqual(await names({ name: { operator: 'like', value: '%a' } }), ['alpha', 'Beta', 'gamma', 'delta']);
    assert.deepEqual(await names({ name: { operator: 'like', value: 'b%' } }), []);
    assert.deepEqual(await names({ name: { operator: 'ilike', value: 'b%' } }), ['Beta']);
    assert.deepEqual(await names({ tag: { operator: 'in', value: ['blue', 'green'] } }), ['Beta', 'delta']);
    assert.deepEqual(await names({ qty: { operator: 'not_in', value: [1, 10] } }), ['Beta', 'gamma']);
    assert.deepEqual(await names({ on: true }), ['alpha', 'gamma']);
    // Datetimes compare as instants (2025-01-01T00:00+01:00 is 2024-12-31T23:00Z).
    assert.deepEqual(await names({ at: { operator: 'gte', value: '2024-12-31T23:00:00Z' } }), ['gamma', 'delta']);
    assert.deepEqual(await names({ at: { operator: 'gt', value: '2024-12-31T23:30:00Z' } }), ['delta']);
    // Several conditions: all must hold; a list of operator forms on one field.
    assert.deepEqual(await names({ tag: 'red', price: { operator: 'gt', value: 10 } }), ['gamma']);
    assert.deepEqual(await names({ price: [{ operator: 'gt', value: 10 }, { operator: 'lt', value: 120 }] }), ['Beta', 'gamma']);
  });

  it('orders by a field or created_at, pages, and counts the total', async () => {
    assert.deepEqual(await names({}, '?order_by=price&order_dir=desc'), ['delta', 'gamma', 'Beta', 'alpha']);
    assert.deepEqual(await names({}, '?order_by=name&order_dir=asc').then((n) => n.length), 4);
    const newest = await search({}, '?page=1&size=2');
    assert.deepEqual(newest.body.records.map((r: { id: string }) => r.id), [ids.delta, ids.gamma], 'created_at desc by default');
    assert.deepEqual([newest.body.total, newest.body.page, newest.body.size], [4, 1, 2]);
    const second = await search({}, '?page=2&size=2');
    assert.deepEqual(second.body.records.map((r: { id: string }) => r.id), [ids.Beta, ids.alpha]);
    assert.equal((await search({}, '?size=101')).status, 422);
    assert.equal((await search({}, '?page=0')).status, 422);
  });

  it('refuses unknown fields, operators and ill-typed values with 422', async () => {
    const problems = async (query: unknown, params = '') => {
      const found = await search(query, params);
      assert.equal(found.status, 422, JSON.stringify(found.body));
      return found.body.errors.map((e: { field: string }) => e.field);
    };
    assert.deepEqual(await problems({ colour: 'red' }), ['query.colour']);
    assert.deepEqual(await problems({ price: { operator: 'between', value: 1 } }), ['query.price.operator']);
    assert.deepEqual(await problems({ price: { operator: 'gt', value: '100' } }), ['query.price.value']);
    assert.deepEqual(await problems({ tag: 'purple' }), ['query.tag.value'], 'enums compare by their values');
    assert.deepEqual(await problems({ on: { operator: 'gt', value: true } }), ['query.on.value']);
    assert.deepEqual(await problems({ price: { operator: 'like', value: '1%' } }), ['query.price.value']);
    assert.deepEqual(await problems({ qty: { operator: 'in', value: 3 } }), ['query.qty.value']);
    assert.deepEqual(await problems({}, '?order_by=colour'), ['order_by']);
    assert.deepEqual(await problems({}, '?order_dir=sideways'), ['order_dir']);
    const noSchema = await rest('POST', '/v1/entity/records/search', { query: { price: 5 } }, as);
    assert.equal(noSchema.status, 422);
  });

  it('no input changes the SQL: injection attempts in field names, operators, values and ordering are data', async () => {
    const before = await sql(`SELECT count(*)::int AS n FROM entities.entity_records WHERE tenant_id = $1`, [tenant.tenant_id]);
    const attacks = [
      { query: { "name') OR 1=1 --": 'x' } },
      { query: { name: { operator: "eq') OR ('1'='1", value: 'x' } } },
      { query: { price: { operator: 'gt; DROP TABLE entities.entity_records; --', value: 1 } } },
      { params: `?order_by=${encodeURIComponent('created_at; DROP TABLE entities.entity_records')}` },
      { params: `?order_dir=${encodeURIComponent('desc; DELETE FROM entities.entity_records')}` },
    ];
    for (const attack of attacks) assert.equal((await search(attack.query ?? {}, attack.params ?? '')).status, 422, JSON.stringify(attack));
    // Values are parameters: they match literally, or not at all.
    assert.deepEqual(await names({ name: "alpha' OR '1'='1" }), []);
    assert.deepEqual(await names({ name: { operator: 'like', value: "%' OR 1=1 --" } }), []);
    assert.deepEqual(await names({ tag: { operator: 'in', value: ["red') OR true --"] } }).catch(() => 'refused'), 'refused', 'an enum value that is none is a 422');
    assert.deepEqual(await names({ name: { operator: 'in', value: ['alpha', "x'); DELETE FROM entities.entity_records; --"] } }), ['alpha']);
    const after = await sql(`SELECT count(*)::int AS n FROM entities.entity_records WHERE tenant_id = $1`, [tenant.tenant_id]);
    assert.deepEqual(after, before);
  });

  it('GraphQL: the same filters as a typed input, records with their schema and fields', async () => {
    const query = `query($schemaId: ID!, $org: ID, $filters: [RecordFilterInput!]) {
      searchEntityRecords(organizationId: $org, schemaId: $schemaId, filters: $filters, orderBy: "price", orderDir: "asc") {
        total items { data schema { slug version } fields { name type } }
      }
    }`;
    const variables = { schemaId, org: as.headers!['X-Organization-Id'], filters: [{ field: 'price', operator: 'gte', value: 50 }, { field: 'tag', operator: 'in', value: ['red', 'blue'] }] };
    const { body } = await gql(query, variables, { apiKey: tenant.public_key, bearer: owner.accessToken });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal(body.data.searchEntityRecords.total, 2);
    assert.deepEqual(body.data.searchEntityRecords.items.map((i: any) => i.data.name), ['Beta', 'gamma']);
    assert.deepEqual(body.data.searchEntityRecords.items[0].schema, { slug: 'items', version: 1 });
    assert.equal(body.data.searchEntityRecords.items[0].fields.length, 6);
    const unknownOperator = await gql(query, { ...variables, filters: [{ field: 'price', operator: 'between', value: 1 }] }, { apiKey: tenant.public_key, bearer: owner.accessToken });
    assert.ok(unknownOperator.body.errors?.length, 'an operator outside the enum is refused by the schema');
  });
});
