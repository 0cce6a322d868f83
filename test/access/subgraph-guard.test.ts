import assert from 'node:assert/strict';
import { signIdentity, type Identity } from '../../src/identity';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';

const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on EndUser { id email } } }';
const USAGE = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on EndUser { id usage { metric } } } }';

/** A request straight to a subgraph, signed as the router would sign it for `identity`. */
async function asRouter(subgraph: 'tenancy' | 'billing', identity: Identity, query: string, variables: Record<string, unknown>) {
  const platformIdentity = signIdentity(identity, { query, variables }, testPlatform().config.internalSecret);
  const response = await fetch(testPlatform().config.subgraphUrls[subgraph], {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, extensions: { platformIdentity } }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions: { code: string } }> };
}

/**
 * Defence in depth: a subgraph checks the same access directives itself, so a request that
 * got past the router (or a router bug) still cannot read what the caller's scopes do not allow.
 */
describe('subgraphs enforce the access rules themselves', () => {
  let tenant: TestTenant;
  let alice: TestUser;
  let bob: TestUser;
  const key = (scopes: string[]): Identity => ({ requestId: 'guard', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'secret', scopes });

  before(async () => {
    tenant = await createTenant();
    [alice, bob] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
  });

  it('root fields: endUsers needs users:read', async () => {
    const denied = await asRouter('tenancy', key(['agents:read']), '{ endUsers { id } }', {});
    assert.equal(denied.errors?.[0].extensions.code, 'INSUFFICIENT_SCOPE');
    const allowed = await asRouter('tenancy', key(['users:read']), '{ endUsers { id } }', {});
    assert.equal(allowed.errors, undefined);
  });

  it('entity references: an EndUser email needs users:read (or the user themself)', async () => {
    const representations = [{ __typename: 'EndUser', id: alice.id }];
    const denied = await asRouter('tenancy', key(['agents:read']), ENTITIES, { representations });
    assert.equal(denied.data._entities[0], null);
    assert.doesNotMatch(JSON.stringify(denied), new RegExp(alice.email));
    const allowed = await asRouter('tenancy', key(['users:read']), ENTITIES, { representations });
    assert.equal(allowed.data._entities[0].email, alice.email);
  });

  it('entity references: an end user resolves only themself', async () => {
    const asAlice: Identity = { requestId: 'guard', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'public', userId: alice.id };
    const result = await asRouter('tenancy', asAlice, ENTITIES, { representations: [{ __typename: 'EndUser', id: alice.id }, { __typename: 'EndUser', id: bob.id }] });
    assert.equal(result.data._entities[0].email, alice.email);
    assert.equal(result.data._entities[1], null);
  });

  it('extension fields: EndUser.usage in billing needs usage:read (or the user themself)', async () => {
    const representations = [{ __typename: 'EndUser', id: alice.id }];
    const denied = await asRouter('billing', key(['agents:read']), USAGE, { representations });
    assert.equal(denied.errors?.[0].extensions.code, 'INSUFFICIENT_SCOPE');
    const allowed = await asRouter('billing', key(['usage:read']), USAGE, { representations });
    assert.equal(allowed.errors, undefined);
    assert.ok(Array.isArray(allowed.data._entities[0].usage));
  });
});
