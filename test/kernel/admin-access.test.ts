import assert from 'node:assert/strict';
import { accessDenial, ADMIN_SCOPE, defineScopes, grantedScopes, SELF_SCOPE, type AccessRule } from '../../src/federation/access';
import type { Identity } from '../../src/identity';

const tenantId = '00000000-0000-0000-0000-000000000001';
const admin: Identity = { requestId: 'r', ip: '127.0.0.1', adminId: '00000000-0000-0000-0000-00000000000a', adminSessionId: '00000000-0000-0000-0000-00000000000b' };
const allScopesKey: Identity = { requestId: 'r', ip: '127.0.0.1', tenantId, keyType: 'secret', scopes: ['*'] };
const endUser: Identity = { requestId: 'r', ip: '127.0.0.1', tenantId, keyType: 'public', userId: '00000000-0000-0000-0000-000000000002' };
const codeOf = (identity: Identity | undefined, rules: AccessRule[]) => accessDenial(identity, rules)?.code;

/** Tenant admins' dashboard sessions: a caller of their own kind (router/edge-auth.ts). */
describe('access decisions for tenant admin sessions', () => {
  const adminOnly: AccessRule = { scopes: [[ADMIN_SCOPE]] };
  const workspacesRead: AccessRule = { scopes: [['workspaces:read'], [ADMIN_SCOPE]] };

  it('only an admin session holds the admin scope: not `*`, not an end user, not anonymous callers', () => {
    assert.deepEqual(grantedScopes(admin), [ADMIN_SCOPE]);
    assert.equal(codeOf(admin, [adminOnly]), undefined);
    for (const caller of [allScopesKey, endUser, undefined]) assert.equal(codeOf(caller, [adminOnly]), 'UNAUTHENTICATED');
    assert.match(accessDenial(allScopesKey, [adminOnly])!.message, /tenant admin session/);
  });

  it('an admin session outside a workspace is no tenant caller: key scopes and end-user data ask for X-Workspace-ID', () => {
    assert.equal(codeOf(admin, [workspacesRead]), undefined);
    for (const rule of [{ scopes: [['users:read']] }, { scopes: [[SELF_SCOPE]] }]) {
      const denial = accessDenial(admin, [rule]);
      assert.equal(denial?.code, 'FORBIDDEN');
      assert.match(denial!.message, /X-Workspace-ID/);
    }
    assert.equal(codeOf(allScopesKey, [workspacesRead]), undefined);
  });

  it('no domain may declare the admin scope as a key scope', () => {
    assert.throws(() => defineScopes({ sneaky: ADMIN_SCOPE }), /Invalid scope name/);
  });
});
