import assert from 'node:assert/strict';
import { gql, gqlData } from '../helpers/client';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { outbox } from '../tenancy/organization-helpers';

/**
 * Issue #9 item 7: every create, update and delete of schemas and records leaves its typed event
 * in the outbox, written in the write's transaction (a refused write leaves none).
 */
describe('entity schema and record events', function () {
  this.timeout(60_000);
  let tenant: TestTenant;

  before(async () => {
    tenant = await createTenant();
  });

  const as = () => ({ bearer: tenant.secret_key });
  const entityEvents = async () => (await outbox(tenant.tenant_id)).filter((e) => e.type.startsWith('entity.'));

  it('emits entity.schema.* and entity.record.* with their payloads, and nothing for refused writes', async () => {
    const schema = (
      await gqlData('mutation { createEntitySchema(input: {name: "Books", fields: [{name: "title", type: "string", required: true}]}) { id } }', {}, as())
    ).createEntitySchema;
    const record = (await gqlData('mutation($s: ID!) { createEntityRecord(schemaId: $s, data: {title: "Emma"}) { id } }', { s: schema.id }, as())).createEntityRecord;
    await gqlData('mutation($id: ID!, $data: JSONObject!) { updateEntityRecord(id: $id, data: $data) { id } }', { id: record.id, data: { title: 'Persuasion' } }, as());
    await gqlData('mutation($id: ID!) { updateEntitySchema(id: $id, input: {fields: [{name: "title", type: "string"}, {name: "pages", type: "integer"}]}) { version } }', { id: schema.id }, as());
    const countBefore = (await entityEvents()).length;
    // Refused writes: invalid data (422), deleting a schema that still has records (409).
    const invalid = await gql('mutation($id: ID!, $data: JSONObject!) { updateEntityRecord(id: $id, data: $data) { id } }', { id: record.id, data: { pages: 'many' } }, as());
    assert.equal(invalid.body.errors[0].extensions.code, 'VALIDATION_FAILED');
    const refused = await gql('mutation($id: ID!) { deleteEntitySchema(id: $id) { id } }', { id: schema.id }, as());
    assert.equal(refused.body.errors[0].extensions.code, 'CONFLICT');
    assert.equal((await entityEvents()).length, countBefore);
    await gqlData('mutation($id: ID!) { deleteEntityRecord(id: $id) { id } }', { id: record.id }, as());
    await gqlData('mutation($id: ID!) { deleteEntitySchema(id: $id) { id } }', { id: schema.id }, as());

    // (The record above was created with an object literal for data, which once answered a 500.)
    const recordPayload = { recordId: record.id, schemaId: schema.id, organizationId: null, userId: null };
    assert.deepEqual(await entityEvents(), [
      { type: 'entity.schema.created', payload: { schemaId: schema.id, organizationId: null, name: 'Books', version: 1 } },
      { type: 'entity.record.created', payload: recordPayload },
      { type: 'entity.record.updated', payload: recordPayload },
      { type: 'entity.schema.updated', payload: { schemaId: schema.id, organizationId: null, name: 'Books', version: 2, fieldsChanged: true } },
      { type: 'entity.record.deleted', payload: recordPayload },
      { type: 'entity.schema.deleted', payload: { schemaId: schema.id, organizationId: null, name: 'Books', version: 2, recordsDeleted: 0 } },
    ]);
  });
});
