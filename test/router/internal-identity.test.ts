import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { IdentitySigner } from '../../router/identity-forwarding';
import { operationDigest, signIdentity, verifyIdentity, type Identity, type SignedOperation } from '../../src/identity';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';

const TENANT_QUERY = '{ currentTenant { id name } }';
const END_USER_QUERY = 'query($id: ID!) { endUser(id: $id) { email } }';

/** Requests straight to the tenancy subgraph, bypassing the router. */
async function direct(operation: SignedOperation, extensions: Record<string, unknown> | undefined) {
  const url = testPlatform().config.subgraphUrls.tenancy;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...operation, extensions }),
  });
  return { status: response.status, body: await response.json() };
}

/** The same, as a GET request with the parameters in the query string. */
async function directGet(operation: { query: string; variables: Record<string, unknown> }, token: string) {
  const url = new URL(testPlatform().config.subgraphUrls.tenancy);
  url.searchParams.set('query', operation.query);
  url.searchParams.set('variables', JSON.stringify(operation.variables));
  url.searchParams.set('extensions', JSON.stringify({ platformIdentity: token }));
  const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
  return { status: response.status, body: await response.json() };
}

/** One operation over the tenancy subgraph's graphql-ws endpoint, as the router sends subscriptions. */
async function directWs(operation: { query: string; variables?: Record<string, unknown> }, token: string): Promise<any> {
  const client = createClient({ url: testPlatform().config.subgraphUrls.tenancy.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
  try {
    return await new Promise((resolve) => {
      let result: unknown;
      client.subscribe({ ...operation, extensions: { platformIdentity: token } }, {
        next: (value) => (result = value),
        error: (errors) => resolve({ errors }),
        complete: () => resolve(result),
      });
    });
  } finally {
    await client.dispose();
  }
}

const secretCaller = (tenant: TestTenant): Identity => ({ requestId: 'x', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'secret', scopes: ['*'] });

describe('IdentitySigner (the router side)', () => {
  const secret = 'unit-secret-0123456789abcdef0123456789';
  const identity: Identity = { requestId: 'req-1', ip: '127.0.0.1', tenantId: 't1', keyType: 'secret', scopes: ['*'] };
  const operation = { query: END_USER_QUERY, variables: { id: 'u1' } };

  it('signs one caller and operation identically whatever the request id (so in-flight dedup still merges), and nothing else alike', () => {
    const signer = new IdentitySigner(secret);
    const now = Date.now();
    const token = signer.sign(identity, operation, now);
    assert.equal(signer.sign({ ...identity, requestId: 'req-2' }, { query: END_USER_QUERY, variables: { id: 'u1' } }, now + 1000), token);
    assert.notEqual(signer.sign(identity, { query: END_USER_QUERY, variables: { id: 'u2' } }, now), token);
    assert.notEqual(signer.sign({ ...identity, tenantId: 't2' }, operation, now), token);
    assert.equal(verifyIdentity(token, operation, secret, now)?.tenantId, 't1');
    assert.equal(verifyIdentity(token, { query: END_USER_QUERY, variables: { id: 'u2' } }, secret, now), undefined);
  });

  it('re-seals a cached identity well before subgraphs would call it stale', () => {
    const signer = new IdentitySigner(secret);
    const start = Date.now();
    const first = signer.sign(identity, operation, start);
    const later = start + 60_000; // half the lifetime: the first token would be valid for another minute only
    const second = signer.sign(identity, operation, later);
    assert.notEqual(second, first);
    assert.ok(verifyIdentity(second, operation, secret, later + 100_000), 'a fresh seal lasts its full lifetime');
  });
});

describe('internal identity between router and subgraphs', () => {
  it('a subgraph rejects a request without the signed identity', async () => {
    const { status, body } = await direct({ query: TENANT_QUERY }, undefined);
    assert.equal(status, 401);
    assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
  });

  it('a subgraph rejects a forged identity (wrong secret)', async () => {
    const tenant = await createTenant();
    const forged = signIdentity(secretCaller(tenant), { query: TENANT_QUERY }, 'not-the-real-secret-0123456789abcdef');
    const { status } = await direct({ query: TENANT_QUERY }, { platformIdentity: forged });
    assert.equal(status, 401);
  });

  it('a subgraph rejects a tampered payload and a stale signature', async () => {
    const { internalSecret } = testPlatform().config;
    const tenant = await createTenant();
    const operation = { query: TENANT_QUERY };
    const genuine = signIdentity({ requestId: 'x', ip: '127.0.0.1', tenantId: tenant.tenant_id, keyType: 'public' }, operation, internalSecret);
    const [payload, digest, mac] = genuine.split('.');
    const widened = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('"public"', '"secret"')).toString('base64url');
    assert.equal((await direct(operation, { platformIdentity: `${widened}.${digest}.${mac}` })).status, 401);
    const stale = signIdentity({ requestId: 'x', ip: '127.0.0.1', tenantId: tenant.tenant_id }, operation, internalSecret, Date.now() - 10 * 60_000);
    assert.equal((await direct(operation, { platformIdentity: stale })).status, 401);
  });

  it('a subgraph serves a request the router signed', async () => {
    const tenant = await createTenant({ name: 'Signed Inc' });
    const token = signIdentity(secretCaller(tenant), { query: TENANT_QUERY }, testPlatform().config.internalSecret);
    const { status, body } = await direct({ query: TENANT_QUERY }, { platformIdentity: token });
    assert.equal(status, 200);
    assert.equal(body.data.currentTenant.name, 'Signed Inc');
  });

  describe('the signature covers the operation and its variables', () => {
    let tenant: TestTenant;
    let alice: { id: string; email: string };
    let bob: { id: string; email: string };
    let forAlice: SignedOperation & { query: string; variables: Record<string, unknown> };
    let captured: string;

    before(async () => {
      tenant = await createTenant();
      [alice, bob] = await Promise.all([registerUser(tenant), registerUser(tenant)]);
      forAlice = { query: END_USER_QUERY, variables: { id: alice.id } };
      captured = signIdentity(secretCaller(tenant), forAlice, testPlatform().config.internalSecret);
    });

    it('serves the operation it was signed for, whatever the order of keys in the variables', async () => {
      const { status, body } = await direct(forAlice, { platformIdentity: captured });
      assert.equal(status, 200);
      assert.equal(body.data.endUser.email, alice.email);
      const nested = { query: END_USER_QUERY, variables: { id: alice.id, extra: { y: 1, x: [{ q: 1, p: null }] } } };
      const token = signIdentity(secretCaller(tenant), nested, testPlatform().config.internalSecret);
      const reordered = { query: END_USER_QUERY, variables: { extra: { x: [{ p: null, q: 1 }], y: 1 }, id: alice.id } };
      const answer = await direct(reordered, { platformIdentity: token });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    });

    it('rejects a captured signature replayed with another query', async () => {
      const { status, body } = await direct({ query: '{ endUsers { email } }' }, { platformIdentity: captured });
      assert.equal(status, 401);
      assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
    });

    it('rejects the same query with other variables', async () => {
      const { status, body } = await direct({ query: END_USER_QUERY, variables: { id: bob.id } }, { platformIdentity: captured });
      assert.equal(status, 401);
      assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
    });

    it('rejects another operation of the same document (operationName)', async () => {
      const document = 'query Mine { currentTenant { id } } query Theirs { endUsers { email } }';
      const token = signIdentity(secretCaller(tenant), { query: document, operationName: 'Mine' }, testPlatform().config.internalSecret);
      assert.equal((await direct({ query: document, operationName: 'Mine' }, { platformIdentity: token })).status, 200);
      assert.equal((await direct({ query: document, operationName: 'Theirs' }, { platformIdentity: token })).status, 401);
    });

    it('rejects a tampered operation hash (the hash of the replayed operation, the original MAC)', async () => {
      const forBob = { query: END_USER_QUERY, variables: { id: bob.id } };
      const [payload, , mac] = captured.split('.');
      const { status, body } = await direct(forBob, { platformIdentity: `${payload}.${operationDigest(forBob)}.${mac}` });
      assert.equal(status, 401);
      assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
    });

    it('rejects a request that carries no query text (a persisted-query hash cannot be signed)', async () => {
      const persisted = { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } };
      const { status } = await direct({ variables: forAlice.variables }, { platformIdentity: captured, ...persisted });
      assert.equal(status, 401);
    });

    it('checks GET requests the same way', async () => {
      const ok = await directGet(forAlice, captured);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.data.endUser.email, alice.email);
      assert.equal((await directGet({ query: END_USER_QUERY, variables: { id: bob.id } }, captured)).status, 401);
    });

    it('checks graphql-ws subscribe payloads the same way', async () => {
      const ok = await directWs(forAlice, captured);
      assert.equal(ok.data.endUser.email, alice.email);
      const replayed = await directWs({ query: END_USER_QUERY, variables: { id: bob.id } }, captured);
      assert.equal(replayed.errors[0].extensions.code, 'UNAUTHENTICATED');
      assert.equal(replayed.data, undefined);
    });

    it('answers a failing operation over graphql-ws with the errors HTTP gives (code, status), as other subgraphs call it', async () => {
      const tooMany = { query: 'query($first: Int!) { endUsers(first: $first) { email } }', variables: { first: 1000 } };
      const token = signIdentity(secretCaller(tenant), tooMany, testPlatform().config.internalSecret);
      const overHttp = (await direct(tooMany, { platformIdentity: token })).body;
      const overWs = await directWs(tooMany, token);
      assert.equal(overHttp.errors?.[0]?.extensions?.code, 'VALIDATION_FAILED', JSON.stringify(overHttp));
      assert.deepEqual(overWs.errors, overHttp.errors);
    });
  });
});
