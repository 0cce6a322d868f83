import assert from 'node:assert/strict';
import { MAX_QUERY_DEPTH, MAX_QUERY_TOKENS } from '../../router/query-limits';
import { gql, rest } from '../helpers/client';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('router: request ids and query limits', () => {
  let tenant: TestTenant;

  before(async () => {
    tenant = await createTenant();
  });

  describe('X-Request-ID', () => {
    it('a valid incoming id is echoed on GraphQL, REST and error responses alike', async () => {
      const id = 'req-0123456789abcdef';
      const graphql = await gql('{ currentTenant { id } }', {}, { bearer: tenant.secret_key, headers: { 'x-request-id': id } });
      assert.equal(graphql.headers.get('x-request-id'), id);
      const user = await registerUser(tenant);
      const me = await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key, bearer: user.accessToken, headers: { 'x-request-id': id } });
      assert.equal(me.status, 200);
      assert.equal(me.headers.get('x-request-id'), id);
      const refused = await gql('{ currentTenant { id } }', {}, { apiKey: 'sk_live_unknown', headers: { 'x-request-id': id } });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('x-request-id'), id);
      const restRefused = await rest('GET', '/v1/auth/me', undefined, { apiKey: 'sk_live_unknown', headers: { 'x-request-id': id } });
      assert.equal(restRefused.headers.get('x-request-id'), id);
    });

    it('a missing or malformed id is replaced by a fresh one', async () => {
      for (const headers of [{}, { 'x-request-id': 'bad id with spaces' }, { 'x-request-id': 'x'.repeat(300) }] as Record<string, string>[]) {
        const { headers: response } = await gql('{ currentTenant { id } }', {}, { bearer: tenant.secret_key, headers });
        assert.match(response.get('x-request-id') ?? '', UUID);
      }
    });
  });

  describe('query limits', () => {
    /** `{ agents { owner { agents { owner … { id } } } } }`: `levels` fields below the root field. */
    const nested = (levels: number) => {
      const path = Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? 'owner' : 'agents'));
      return `{ agents { ${path.map((f) => `${f} { `).join('')}id${' }'.repeat(levels)} } }`;
    };

    it(`refuses a document nested deeper than ${MAX_QUERY_DEPTH} levels, also through fragments`, async () => {
      const deep = await gql(nested(MAX_QUERY_DEPTH + 1), {}, { bearer: tenant.secret_key });
      assert.match(deep.body.errors[0].message, /depth/i);
      assert.equal(deep.body.data, undefined);
      const viaFragments = await gql(
        `{ agents { ...A } } fragment A on Agent { owner { ...U } } fragment U on EndUser { ${nested(MAX_QUERY_DEPTH).slice(2, -2)} }`,
        {},
        { bearer: tenant.secret_key },
      );
      assert.equal(viaFragments.body.errors.length, 1, JSON.stringify(viaFragments.body.errors));
      assert.match(viaFragments.body.errors[0].message, /depth/i);
    });

    it('serves a document just within the depth limit', async () => {
      const ok = await gql(nested(MAX_QUERY_DEPTH - 2), {}, { bearer: tenant.secret_key });
      assert.equal(ok.body.errors, undefined, JSON.stringify(ok.body.errors));
    });

    it(`refuses a document of more than ${MAX_QUERY_TOKENS} tokens before parsing it whole`, async () => {
      const huge = `{ ${Array.from({ length: MAX_QUERY_TOKENS }, (_, i) => `a${i}: currentTenant { id }`).join(' ')} }`;
      const { body } = await gql(huge, {}, { bearer: tenant.secret_key });
      assert.match(body.errors[0].message, /token/i);
    });
  });
});
