import assert from 'node:assert/strict';
import { testPlatform } from '../helpers/global';
import { rest } from '../helpers/client';

describe('router basics', () => {
  it('answers /api/health with the package version', async () => {
    const response = await fetch(`${testPlatform().routerUrl}/api/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', version: require('../../package.json').version });
  });

  it('echoes a request id on every response', async () => {
    const response = await fetch(`${testPlatform().routerUrl}/api/health`, { headers: { 'x-request-id': 'test-request-0001' } });
    assert.equal(response.headers.get('x-request-id'), 'test-request-0001');
  });

  it('answers unknown REST routes with 404 in the profile shape', async () => {
    const { status, body } = await rest('GET', '/v1/does-not-exist');
    assert.equal(status, 404);
    assert.equal(typeof body.detail, 'string');
  });

  it('answers an oversized body with 413 in the profile shape', async () => {
    const { status, body } = await rest('POST', '/v1/auth/verify-email-with-token', { token: 'x'.repeat(1_100_000) });
    assert.equal(status, 413);
    assert.equal(typeof body.detail, 'string');
  });

  it('answers a wrong method on a known REST path with 405 in the profile shape', async () => {
    const { status, body } = await rest('GET', '/v1/auth/login');
    assert.equal(status, 405);
    assert.match(body.detail, /not allowed/);
  });

  it('answers malformed JSON with 400 in the profile shape', async () => {
    const { status, body } = await rest('POST', '/v1/auth/login', '{"email": ', { apiKey: 'sk_live_whatever' });
    // edge auth runs first: an unknown key is 401; with no key, malformed JSON is the first problem
    assert.equal(status, 401);
    const anonymous = await rest('POST', '/v1/auth/verify-email-with-token', '{"token": ');
    assert.equal(anonymous.status, 400);
    assert.deepEqual(Object.keys(anonymous.body), ['detail']);
    assert.equal(body.detail, 'Invalid or missing API key');
  });

  it('serves the OpenAPI document of /v1 with the documented paths', async () => {
    const { status, body } = await rest('GET', '/v1/openapi.json');
    assert.equal(status, 200);
    for (const path of ['/v1/auth/register', '/v1/auth/login', '/v1/auth/refresh', '/v1/auth/me', '/v1/auth/logout']) {
      assert.ok(body.paths[path], `${path} in OpenAPI`);
    }
    assert.ok(body.paths['/v1/auth/login'].post);
  });

  it('answers CORS preflights so browser frontends can call REST and GraphQL', async () => {
    for (const path of ['/v1/auth/login', '/graphql']) {
      const response = await fetch(testPlatform().routerUrl + path, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key, content-type' },
      });
      assert.equal(response.status, 204, path);
      assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
      assert.match(response.headers.get('access-control-allow-headers')!, /X-API-Key/);
    }
    const actual = await rest('POST', '/v1/auth/login', {}, { origin: 'https://app.example.com' });
    assert.equal(actual.headers.get('access-control-allow-origin'), 'https://app.example.com');
  });

  it('serves Swagger UI at /docs and ReDoc at /redoc, both on the /v1 OpenAPI document', async () => {
    for (const path of ['/docs', '/redoc']) {
      const response = await fetch(testPlatform().routerUrl + path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type')!, /text\/html/);
      assert.match(await response.text(), /\/v1\/openapi\.json/);
    }
  });

  it('serves GraphiQL outside production', async () => {
    const response = await fetch(`${testPlatform().routerUrl}/graphql`, { headers: { accept: 'text/html' } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /graphiql/i);
  });

  it('answers a malformed GraphQL body with the message only, never echoing the body', async () => {
    const secret = 'sk_live_do-not-echo-me';
    // GraphQL over HTTP: 400 for application/graphql-response+json, 200 for legacy application/json.
    for (const [accept, status] of [['application/graphql-response+json', 400], ['application/json', 200]] as const) {
      const response = await fetch(`${testPlatform().routerUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: `{"query": "{ currentTenant { id } }", "apiKey": "${secret}"`,
      });
      const text = await response.text();
      assert.equal(response.status, status, accept);
      assert.doesNotMatch(text, /do-not-echo-me|currentTenant/, 'the raw body is not echoed');
      assert.doesNotMatch(text, /stacktrace|originalError|\.ts:\d+/);
      const body = JSON.parse(text);
      assert.deepEqual(
        body.errors.map((error: any) => ({ message: error.message, code: error.extensions?.code })),
        [{ message: 'POST body sent invalid JSON.', code: 'BAD_REQUEST' }],
      );
    }
  });
});
