import assert from 'node:assert/strict';
import { gql, rest } from '../helpers/client';
import { createTenant, type TestTenant } from '../helpers/tenants';

/** Inputs are validated by class-validator decorators and mapped once to VALIDATION_FAILED per field. */
describe('input validation', () => {
  let tenant: TestTenant;

  before(async () => {
    tenant = await createTenant();
  });

  it('GraphQL: every failing field of an input is listed, nested ones by path', async () => {
    const { body } = await gql(
      `mutation { createEntitySchema(input: {name: "", fields: [{name: "ok", type: "string"}, {name: "9bad", type: "blob"}]}) { id } }`,
      {},
      { bearer: tenant.secret_key },
    );
    const [error] = body.errors;
    assert.equal(error.extensions.code, 'VALIDATION_FAILED');
    assert.deepEqual(error.extensions.fields.map((f: { field: string }) => f.field), ['name', 'fields[1].name', 'fields[1].type']);
    assert.match(error.extensions.fields[2].message, /must be one of/);
  });

  it('GraphQL: arguments are validated too (a usage filter that is no UUID)', async () => {
    const { body } = await gql('{ usageTotals(userId: "nope") { metric } }', {}, { bearer: tenant.secret_key });
    assert.equal(body.errors[0].extensions.code, 'VALIDATION_FAILED');
    assert.deepEqual(body.errors[0].extensions.fields, [{ field: 'userId', message: 'must be a UUID' }]);
  });

  it("REST: 422 names the failing fields by the face's wire names, and nothing is written", async () => {
    const email = `valid-${Date.now()}@example.com`;
    const { status, body } = await rest(
      'POST',
      '/v1/auth/register',
      { email, password: 'weak', display_name: 'x'.repeat(101), locale: 'not a locale', return_to: 'ftp://x' },
      { apiKey: tenant.public_key },
    );
    assert.equal(status, 422);
    assert.deepEqual(body.errors.map((e: { field: string }) => e.field).sort(), ['display_name', 'locale', 'password', 'return_to']);
    assert.match(body.detail, /^Validation failed: /);
    const login = await rest('POST', '/v1/auth/login', { email, password: 'weak' }, { apiKey: tenant.public_key });
    assert.equal(login.status, 401, 'no user was created');
  });
});
