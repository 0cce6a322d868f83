import assert from 'node:assert/strict';
import { defineErrors, describeGraphQLError, DomainError, toGraphQLError } from '../../src/errors';
import { gql, rest, uniqueEmail, PASSWORD } from '../helpers/client';
import { createTenant, registerUser } from '../helpers/tenants';

describe('error codes: the kernel keeps the mechanism, domains their codes', () => {
  it('a domain code carries its status from the subgraph to every face', () => {
    const Errors = defineErrors({ THING_TAKEN: { status: 409, message: 'Thing already exists' } });
    const error = new DomainError(Errors.THING_TAKEN);
    assert.deepEqual([error.code, error.status, error.message], ['THING_TAKEN', 409, 'Thing already exists']);
    assert.deepEqual(describeGraphQLError(toGraphQLError(error)), { code: 'THING_TAKEN', status: 409 });
    assert.deepEqual(describeGraphQLError(toGraphQLError(new DomainError('NOT_FOUND'))), { code: 'NOT_FOUND', status: 404 });
  });

  it('refuses a domain code that shadows a kernel code or has no error status', () => {
    assert.throws(() => defineErrors({ NOT_FOUND: { status: 404, message: 'x' } }), /kernel/);
    assert.throws(() => defineErrors({ FINE: { status: 200, message: 'x' } }), /Invalid/);
  });

  it('an unknown code without a status is an internal error (never trusted as a client error)', () => {
    assert.deepEqual(describeGraphQLError({ message: 'boom', extensions: { code: 'SOMETHING' } }), { code: 'INTERNAL', status: 500 });
  });

  it("tenancy's own codes reach GraphQL and REST with their status", async () => {
    const tenant = await createTenant();
    const user = await registerUser(tenant);
    const graphql = await gql('mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken } }', { e: user.email, p: 'Wrong1234' }, { apiKey: tenant.public_key });
    assert.equal(graphql.body.errors[0].extensions.code, 'INVALID_CREDENTIALS');
    const wrong = await rest('POST', '/v1/auth/login', { email: user.email, password: 'Wrong1234' }, { apiKey: tenant.public_key });
    assert.deepEqual([wrong.status, wrong.body.detail], [401, 'Invalid email or password']);
    const taken = await rest('POST', '/v1/auth/register', { email: user.email.toUpperCase(), password: PASSWORD }, { apiKey: tenant.public_key });
    assert.deepEqual([taken.status, taken.body.detail], [409, 'Email already registered']);
    assert.equal((await rest('POST', '/v1/auth/register', { email: uniqueEmail(), password: PASSWORD }, { apiKey: tenant.public_key })).status, 201);
  });
});
