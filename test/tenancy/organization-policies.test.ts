import assert from 'node:assert/strict';
import { buildSchema, graphql } from 'graphql';
import { createSubgraphContext } from '../../src/federation/context';
import { guardSchema } from '../../src/federation/guard-schema';
import { couldHoldPermissions, keyPermissions, ORG_ROLES, OrgPermissions, roleGrants, ROLE_PERMISSIONS } from '../../src/federation/organization-access';
import { signIdentity, type Identity } from '../../src/identity';
import { serviceLogger } from '../../src/logger';
import { rolesFromTenancy } from '../../src/federation/organization-roles-client';
import { readSubgraphMetrics } from '../../src/federation/metrics';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant, type TestUser } from '../helpers/tenants';
import { addMember, createOrganization } from './organization-helpers';

/** A request straight to the tenancy subgraph, signed as the router would sign it (the router's check bypassed). */
async function asRouter(identity: Identity, query: string, variables: Record<string, unknown>) {
  const platformIdentity = signIdentity(identity, { query, variables }, testPlatform().config.internalSecret);
  const response = await fetch(testPlatform().config.subgraphUrls.tenancy, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, extensions: { platformIdentity } }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions: { code: string } }> };
}

describe('organization permissions as @policy rules', function () {
  this.timeout(90_000);

  describe('the role table and what the router may grant without data', () => {
    it('owner holds every permission; admin all but BILLING_MANAGE; member and developer read', () => {
      assert.deepEqual([...ORG_ROLES], ['owner', 'admin', 'member', 'developer']);
      for (const permission of Object.values(OrgPermissions)) assert.ok(roleGrants('owner', permission), permission);
      assert.ok(roleGrants('admin', 'MEMBERS_MANAGE') && roleGrants('admin', 'ORG_MANAGE') && !roleGrants('admin', 'BILLING_MANAGE'));
      assert.deepEqual([...ROLE_PERMISSIONS.member], ['ORG_READ', 'MEMBERS_READ']);
      assert.ok(roleGrants('developer', 'BILLING_READ') && !roleGrants('developer', 'MEMBERS_MANAGE'));
      assert.equal(roleGrants(null, 'ORG_READ'), false);
    });

    it('an end user could hold any; a public key alone none; a secret key what its organizations scopes grant', () => {
      const base = { requestId: 'r', ip: '127.0.0.1', tenantId: '00000000-0000-0000-0000-000000000001' };
      assert.deepEqual(couldHoldPermissions({ ...base, keyType: 'public', userId: '00000000-0000-0000-0000-000000000002' }).sort(), Object.values(OrgPermissions).sort());
      assert.deepEqual(couldHoldPermissions({ ...base, keyType: 'public' }), []);
      assert.deepEqual(keyPermissions({ ...base, keyType: 'secret', scopes: ['organizations:read'] }).sort(), ['BILLING_READ', 'MEMBERS_READ', 'ORG_READ']);
      assert.deepEqual(keyPermissions({ ...base, keyType: 'secret', scopes: ['users:read'] }), []);
      assert.deepEqual(couldHoldPermissions({ requestId: 'r', ip: '127.0.0.1', userId: '00000000-0000-0000-0000-000000000002' }), []);
    });

    it('a subgraph without a decider never grants a policy (fails closed)', async () => {
      const schema = buildSchema(`
        directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT
        type Query { secret(organizationId: ID!): String @policy(policies: [["ORG_READ"]]) }
      `);
      schema.getQueryType()!.getFields().secret.resolve = () => 'leaked';
      const identity: Identity = { requestId: 'r', ip: '127.0.0.1', tenantId: '00000000-0000-0000-0000-000000000001', keyType: 'public', userId: '00000000-0000-0000-0000-000000000002' };
      const result = await graphql({ schema: guardSchema(schema), source: '{ secret(organizationId: "00000000-0000-0000-0000-000000000003") }', contextValue: createSubgraphContext(identity, serviceLogger('test')) });
      assert.equal(result.data?.secret, null);
      assert.equal(result.errors?.[0].extensions.code, 'FORBIDDEN');
    });
  });

  describe('the tenancy subgraph decides with the data, even when the router is bypassed', () => {
    let tenant: TestTenant;
    let owner: TestUser;
    let member: TestUser;
    let outsider: TestUser;
    let organizationId: string;
    const asUser = (user: TestUser): Identity => ({ requestId: 'policy', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'public', userId: user.id });
    const asKey = (scopes: string[]): Identity => ({ requestId: 'policy', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'secret', scopes });

    before(async () => {
      tenant = await createTenant();
      [owner, member, outsider] = await Promise.all([registerUser(tenant), registerUser(tenant), registerUser(tenant)]);
      organizationId = (await createOrganization(tenant, owner, 'Policy Co')).id;
      await addMember(tenant, organizationId, owner, member, 'member');
    });

    it('root fields: by role in the organization the argument names', async () => {
      const members = 'query($id: ID!) { organizationMembers(organizationId: $id) { userId } }';
      assert.equal((await asRouter(asUser(member), members, { id: organizationId })).data.organizationMembers.length, 2);
      assert.equal((await asRouter(asUser(outsider), members, { id: organizationId })).errors?.[0].extensions.code, 'NOT_FOUND');
      const update = 'mutation($id: ID!) { updateOrganization(organizationId: $id, input: {name: "Mine"}) { name } }';
      assert.equal((await asRouter(asUser(member), update, { id: organizationId })).errors?.[0].extensions.code, 'FORBIDDEN');
      assert.equal((await asRouter(asKey(['organizations:read']), update, { id: organizationId })).errors?.[0].extensions.code, 'INSUFFICIENT_SCOPE');
    });

    it("another subgraph's RoleOf asks tenancy once per request, with the caller's own identity", async () => {
      const { config } = testPlatform();
      const roleOf = rolesFromTenancy(config.subgraphUrls.tenancy, config.internalSecret);
      const context = createSubgraphContext(asUser(member), serviceLogger('test'));
      const tenancyRequests = async () => (await readSubgraphMetrics(config.subgraphUrls.tenancy)).requests;
      const before = await tenancyRequests();
      const [role, again] = await Promise.all([roleOf(context, tenant.tenant_id, member.id, organizationId), roleOf(context, tenant.tenant_id, member.id, organizationId)]);
      assert.deepEqual([role, again], ['member', 'member']);
      assert.equal((await tenancyRequests()) - before, 1);
      const strangerContext = createSubgraphContext(asUser(outsider), serviceLogger('test'));
      assert.equal(await roleOf(strangerContext, tenant.tenant_id, outsider.id, organizationId), null);
      // Asking about someone else than the caller learns nothing.
      assert.equal(await roleOf(strangerContext, tenant.tenant_id, member.id, organizationId), null);
    });

    it('entity references: an Organization resolves for its members and for keys with organizations:read only', async () => {
      const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id name } } }';
      const representations = { r: [{ __typename: 'Organization', id: organizationId }] };
      assert.equal((await asRouter(asUser(member), entities, representations)).data._entities[0].name, 'Policy Co');
      assert.equal((await asRouter(asKey(['organizations:read']), entities, representations)).data._entities[0].name, 'Policy Co');
      const stranger = await asRouter(asUser(outsider), entities, representations);
      assert.equal(stranger.data._entities[0], null);
      assert.doesNotMatch(JSON.stringify(stranger), /Policy Co/);
      assert.equal((await asRouter(asKey(['users:read']), entities, representations)).data._entities[0], null);
    });
  });
});
