import assert from 'node:assert/strict';
import { accessDenial, defineScopes, SELF_SCOPE, type AccessRule } from '../../src/federation/access';
import type { Identity } from '../../src/identity';

const base: Identity = { requestId: 'r', ip: '127.0.0.1', tenantId: '00000000-0000-0000-0000-000000000001' };
const secret = (scopes: string[]): Identity => ({ ...base, keyType: 'secret', scopes });
const publicKey: Identity = { ...base, keyType: 'public' };
const endUser: Identity = { ...base, keyType: 'public', userId: '00000000-0000-0000-0000-000000000002' };
const codeOf = (identity: Identity | undefined, rules: AccessRule[]) => accessDenial(identity, rules)?.code;

/** The one decision both the router and the subgraphs apply to the schema's access directives. */
describe('access decisions', () => {
  const readUsers: AccessRule = { scopes: [['users:read'], [SELF_SCOPE]] };

  it('scopes are alternatives of sets; `*` grants every key scope but never an end user session', () => {
    assert.equal(codeOf(secret(['users:read']), [readUsers]), undefined);
    assert.equal(codeOf(secret(['*']), [readUsers]), undefined);
    assert.equal(codeOf(secret(['a:read', 'b:read']), [{ scopes: [['a:read', 'b:read']] }]), undefined);
    assert.equal(codeOf(secret(['a:read']), [{ scopes: [['a:read', 'b:read']] }]), 'INSUFFICIENT_SCOPE');
    assert.equal(codeOf(secret(['*']), [{ scopes: [[SELF_SCOPE]] }]), 'UNAUTHENTICATED');
    assert.equal(codeOf(endUser, [{ scopes: [[SELF_SCOPE]] }]), undefined);
  });

  it('every rule must hold (type and field)', () => {
    assert.equal(codeOf(secret(['users:read']), [readUsers, { scopes: [['usage:read']] }]), 'INSUFFICIENT_SCOPE');
    assert.match(accessDenial(secret(['users:read']), [readUsers, { scopes: [['usage:read']] }])!.message, /usage:read/);
  });

  it('answers in terms the caller can act on', () => {
    assert.equal(codeOf(undefined, [{ authenticated: true }]), 'UNAUTHENTICATED');
    assert.equal(codeOf({ requestId: 'r', ip: 'x' }, [{ authenticated: true }]), 'UNAUTHENTICATED');
    assert.equal(codeOf(publicKey, [{ authenticated: true }]), undefined);
    assert.equal(codeOf(publicKey, [{ scopes: [['users:read']] }]), 'PUBLIC_KEY_NOT_ALLOWED');
    assert.equal(codeOf(publicKey, [readUsers]), 'UNAUTHENTICATED', 'a session would grant it: sign in');
    assert.equal(codeOf(secret(['agents:read']), [readUsers]), 'INSUFFICIENT_SCOPE');
  });

  it('a policy is granted only when the caller could hold it (none are defined yet)', () => {
    assert.equal(codeOf(secret(['*']), [{ policies: [['org:BILLING_READ']] }]), 'FORBIDDEN');
  });

  it('no rule, no denial', () => {
    assert.equal(codeOf(undefined, [{}, { scopes: [] }]), undefined);
  });

  it('scope names are resource:action and never the session scope', () => {
    assert.deepEqual(defineScopes({ read: 'things:read' }), { read: 'things:read' });
    assert.throws(() => defineScopes({ bad: 'Things' }), /Invalid scope/);
    assert.throws(() => defineScopes({ self: SELF_SCOPE }), /Invalid scope/);
  });
});
