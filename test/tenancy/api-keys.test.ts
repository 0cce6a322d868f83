import assert from 'node:assert/strict';
import { gql, gqlData, rest, uniqueEmail, PASSWORD } from '../helpers/client';
import { expireApiKeyNow } from '../helpers/factory';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';

const CREATE_KEY = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { key apiKey { id name type prefix scopes allowedOrigins expiresAt revokedAt } }
}`;

describe('API keys', () => {
  let tenant: TestTenant;

  before(async () => {
    tenant = await createTenant();
  });

  async function createKey(input: Record<string, unknown>) {
    const data = await gqlData(CREATE_KEY, { input }, { bearer: tenant.secret_key });
    return data.createApiKey as { key: string; apiKey: { id: string; prefix: string; scopes: string[]; allowedOrigins: string[] } };
  }

  it('returns the full key once and afterwards only its prefix', async () => {
    const created = await createKey({ name: 'Backend', type: 'secret', scopes: ['users:read'] });
    assert.match(created.key, /^sk_live_/);
    assert.ok(created.key.startsWith(created.apiKey.prefix));
    const listed = await gqlData(`{ apiKeys { items { id prefix name lastUsedAt } } }`, {}, { bearer: tenant.secret_key });
    const entry = listed.apiKeys.items.find((k: { id: string }) => k.id === created.apiKey.id);
    assert.equal(entry.prefix, created.apiKey.prefix);
    assert.doesNotMatch(JSON.stringify(listed), new RegExp(created.key));
  });

  it('accepts a secret key as X-API-Key and as Bearer, and records its last use', async () => {
    const created = await createKey({ name: 'Both ways', type: 'secret', scopes: ['users:read'] });
    assert.equal((await gql(`{ endUsers { id } }`, {}, { apiKey: created.key })).status, 200);
    assert.ok((await gqlData(`{ endUsers { id } }`, {}, { bearer: created.key })).endUsers);
    const listed = await gqlData(`{ apiKeys { items { id lastUsedAt } } }`, {}, { bearer: tenant.secret_key });
    assert.ok(listed.apiKeys.items.find((k: { id: string }) => k.id === created.apiKey.id).lastUsedAt);
  });

  it('enforces scopes: a key without users:read cannot list end users', async () => {
    const created = await createKey({ name: 'Usage only', type: 'secret', scopes: ['usage:read'] });
    const result = await gql(`{ endUsers { id } }`, {}, { bearer: created.key });
    assert.equal(result.body.errors[0].extensions.code, 'INSUFFICIENT_SCOPE');
    const forbidden = await gql(`mutation { createApiKey(input: {name: "x", type: "secret"}) { key } }`, {}, { bearer: created.key });
    assert.equal(forbidden.body.errors[0].extensions.code, 'INSUFFICIENT_SCOPE');
  });

  it('rejects unknown scopes and bad origins with field errors', async () => {
    const badScope = await gql(CREATE_KEY, { input: { name: 'x', type: 'secret', scopes: ['everything'] } }, { bearer: tenant.secret_key });
    assert.equal(badScope.body.errors[0].extensions.code, 'VALIDATION_FAILED');
    assert.equal(badScope.body.errors[0].extensions.fields[0].field, 'scopes');
    const badOrigin = await gql(CREATE_KEY, { input: { name: 'x', type: 'public', allowedOrigins: ['not a url'] } }, { bearer: tenant.secret_key });
    assert.equal(badOrigin.body.errors[0].extensions.fields[0].field, 'allowedOrigins');
  });

  it('revocation takes effect at once', async () => {
    const created = await createKey({ name: 'Short lived', type: 'secret', scopes: ['users:read'] });
    assert.ok((await gqlData(`{ endUsers { id } }`, {}, { bearer: created.key })).endUsers);
    const revoked = await gqlData(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: created.apiKey.id }, { bearer: tenant.secret_key });
    assert.ok(revoked.revokeApiKey.revokedAt);
    const after = await gql(`{ endUsers { id } }`, {}, { bearer: created.key });
    assert.equal(after.status, 401);
    assert.equal(after.body.errors[0].extensions.code, 'INVALID_API_KEY');
    const rest401 = await rest('POST', '/v1/auth/login', { email: uniqueEmail(), password: PASSWORD }, { apiKey: created.key });
    assert.equal(rest401.status, 401);
  });

  it('rotation issues a new key; both work during the grace period, then only the new one', async () => {
    const created = await createKey({ name: 'Rotating', type: 'secret', scopes: ['users:read'] });
    const rotatedAt = Date.now();
    const rotated = await gqlData(
      `mutation($id: ID!) { rotateApiKey(id: $id, gracePeriodSeconds: 600) { key apiKey { id scopes name } } }`,
      { id: created.apiKey.id },
      { bearer: tenant.secret_key },
    );
    const newKey = rotated.rotateApiKey.key as string;
    assert.notEqual(newKey, created.key);
    assert.deepEqual(rotated.rotateApiKey.apiKey.scopes, ['users:read']);
    assert.ok((await gqlData(`{ endUsers { id } }`, {}, { bearer: created.key })).endUsers, 'old key in grace period');
    assert.ok((await gqlData(`{ endUsers { id } }`, {}, { bearer: newKey })).endUsers, 'new key');
    // The grace period ends 600 s after the rotation...
    const listed = await gqlData(`{ apiKeys { items { id expiresAt } } }`, {}, { bearer: tenant.secret_key });
    const graceEnds = Date.parse(listed.apiKeys.items.find((k: { id: string }) => k.id === created.apiKey.id).expiresAt);
    assert.ok(Math.abs(graceEnds - (rotatedAt + 600_000)) < 5000, `grace ends 600 s after the rotation (${new Date(graceEnds).toISOString()})`);
    // ...and once it has passed, only the new key works.
    await expireApiKeyNow(tenant.tenant_id, created.apiKey.id);
    assert.equal((await gql(`{ endUsers { id } }`, {}, { bearer: created.key })).status, 401, 'old key after grace period');
    assert.ok((await gqlData(`{ endUsers { id } }`, {}, { bearer: newKey })).endUsers);
  });

  it('rotation with no grace period retires the old key immediately', async () => {
    const created = await createKey({ name: 'Hard rotate', type: 'secret', scopes: ['users:read'] });
    await gqlData(`mutation($id: ID!) { rotateApiKey(id: $id, gracePeriodSeconds: 0) { key } }`, { id: created.apiKey.id }, { bearer: tenant.secret_key });
    assert.equal((await gql(`{ endUsers { id } }`, {}, { bearer: created.key })).status, 401);
  });

  it('an expired key is refused', async () => {
    const created = await createKey({ name: 'Expiring', type: 'secret', scopes: ['users:read'], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    assert.ok((await gqlData(`{ endUsers { id } }`, {}, { bearer: created.key })).endUsers);
    await expireApiKeyNow(tenant.tenant_id, created.apiKey.id);
    assert.equal((await gql(`{ endUsers { id } }`, {}, { bearer: created.key })).status, 401);
  });

  it('revoking or rotating an id that is no key answers NOT_FOUND, never a 500', async () => {
    for (const id of ['not-a-uuid', '00000000-0000-0000-0000-000000000000']) {
      const revoke = await gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id }, { bearer: tenant.secret_key });
      assert.equal(revoke.body.errors[0].extensions.code, 'NOT_FOUND');
      const rotate = await gql(`mutation($id: ID!) { rotateApiKey(id: $id) { key } }`, { id }, { bearer: tenant.secret_key });
      assert.equal(rotate.body.errors[0].extensions.code, 'NOT_FOUND');
    }
  });

  it('an unknown or malformed key is 401', async () => {
    assert.equal((await rest('POST', '/v1/auth/login', { email: 'a@b.co', password: 'x' }, { apiKey: 'sk_live_doesnotexist' })).status, 401);
    assert.equal((await rest('POST', '/v1/auth/login', { email: 'a@b.co', password: 'x' }, { apiKey: 'garbage' })).status, 401);
  });

  describe('public keys', () => {
    it('work only from their allowed origins (403 otherwise)', async () => {
      const created = await createKey({ name: 'Web app', type: 'public', allowedOrigins: ['https://app.example.com'] });
      const body = { email: uniqueEmail(), password: PASSWORD };
      const allowed = await rest('POST', '/v1/auth/register', body, { apiKey: created.key, origin: 'https://app.example.com' });
      assert.equal(allowed.status, 201);
      const otherOrigin = await rest('POST', '/v1/auth/login', body, { apiKey: created.key, origin: 'https://evil.example.com' });
      assert.equal(otherOrigin.status, 403);
      assert.match(otherOrigin.body.detail, /[Oo]rigin/);
      const noOrigin = await rest('POST', '/v1/auth/login', body, { apiKey: created.key });
      assert.equal(noOrigin.status, 403);
    });

    it('a public key for any origin ("*") works without an Origin header', async () => {
      const { status } = await rest('POST', '/v1/auth/login', { email: uniqueEmail(), password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(status, 401); // reached the login flow: unknown user
    });

    it('are limited to the authentication endpoints', async () => {
      const result = await gql(`{ endUsers { id } }`, {}, { apiKey: tenant.public_key });
      assert.equal(result.body.errors[0].extensions.code, 'PUBLIC_KEY_NOT_ALLOWED');
      const keys = await gql(`{ apiKeys { items { id } } }`, {}, { apiKey: tenant.public_key });
      assert.equal(keys.body.errors[0].extensions.code, 'PUBLIC_KEY_NOT_ALLOWED');
    });

    it("with an end user's access token they reach that user's own data", async () => {
      const user = await registerUser(tenant);
      const me = await gqlData(`{ me { id email } }`, {}, { apiKey: tenant.public_key, bearer: user.accessToken });
      assert.equal(me.me.id, user.id);
    });
  });
});
