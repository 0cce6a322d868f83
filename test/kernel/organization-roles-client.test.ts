import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createSubgraphContext } from '../../src/federation/context';
import { rolesFromTenancy } from '../../src/federation/organization-roles-client';
import type { Identity } from '../../src/identity';
import { serviceLogger } from '../../src/logger';

describe('organization roles outside tenancy: the role the router looked up, else tenancy', () => {
  // Nothing listens here: a call to tenancy fails, so an answer proves none was made.
  const roleOf = rolesFromTenancy('http://127.0.0.1:9/graphql', 'test-secret');
  const [tenantId, userId, organizationId] = [randomUUID(), randomUUID(), randomUUID()];
  const contextOf = (identity: Partial<Identity>) => createSubgraphContext({ requestId: 'r', ip: '127.0.0.1', tenantId, userId, ...identity }, serviceLogger('test'));

  it('answers the default organization’s role from the identity, without asking tenancy', async () => {
    const context = contextOf({ defaultOrganizationId: organizationId, defaultOrganizationRole: 'admin' });
    assert.equal(await roleOf(context, tenantId, userId, organizationId), 'admin');
  });

  it('asks tenancy for any other organization, and for an identity the router did not look up (no role in it)', async () => {
    await assert.rejects(roleOf(contextOf({ defaultOrganizationId: organizationId, defaultOrganizationRole: 'admin' }), tenantId, userId, randomUUID()));
    await assert.rejects(roleOf(contextOf({ defaultOrganizationId: organizationId }), tenantId, userId, organizationId));
  });

  it('never lends the caller’s role to another user', async () => {
    const context = contextOf({ defaultOrganizationId: organizationId, defaultOrganizationRole: 'owner' });
    assert.equal(await roleOf(context, tenantId, randomUUID(), organizationId), null);
  });
});
