import assert from 'node:assert/strict';
import { gql, rest, uniqueEmail, uniqueIp, PASSWORD } from '../helpers/client';
import { createTenant, registerUser, type TestTenant } from '../helpers/tenants';

/** Sends `count` requests from one IP and returns the statuses and the last response. */
async function hammer(count: number, send: () => Promise<{ status: number; headers: Headers; body: any }>) {
  const statuses: number[] = [];
  let last: { status: number; headers: Headers; body: any } | undefined;
  for (let i = 0; i < count; i += 1) {
    last = await send();
    statuses.push(last.status);
  }
  return { statuses, last: last! };
}

function retryAfter(headers: Headers): number {
  return Number(headers.get('retry-after'));
}

describe('per-IP limits on the auth endpoints (as documented)', () => {
  let tenant: TestTenant;

  before(async () => {
    tenant = await createTenant();
  });

  it('login: 10 per 15 minutes, then 429 with Retry-After for 15 minutes', async () => {
    const ip = uniqueIp();
    const { statuses, last } = await hammer(11, () => rest('POST', '/v1/auth/login', { email: 'nobody@example.com', password: PASSWORD }, { apiKey: tenant.public_key, ip }));
    assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
    assert.equal(typeof last.body.detail, 'string');
    assert.ok(retryAfter(last.headers) > 890 && retryAfter(last.headers) <= 900, `Retry-After ${retryAfter(last.headers)}`);
    // another IP is not affected
    const other = await rest('POST', '/v1/auth/login', { email: 'nobody@example.com', password: PASSWORD }, { apiKey: tenant.public_key, ip: uniqueIp() });
    assert.equal(other.status, 401);
  });

  it('register: 3 per hour, then blocked for 30 minutes', async () => {
    const ip = uniqueIp();
    const { statuses, last } = await hammer(4, () => rest('POST', '/v1/auth/register', { email: uniqueEmail(), password: PASSWORD }, { apiKey: tenant.public_key, ip }));
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    assert.ok(retryAfter(last.headers) > 1790 && retryAfter(last.headers) <= 1800, `Retry-After ${retryAfter(last.headers)}`);
  });

  it('forgot-password: 3 per hour, then blocked for 30 minutes', async () => {
    const ip = uniqueIp();
    const { statuses, last } = await hammer(4, () => rest('POST', '/v1/auth/forgot-password', { email: uniqueEmail() }, { apiKey: tenant.public_key, ip }));
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.ok(retryAfter(last.headers) > 1790);
  });

  it('resend-verification: 3 per hour, then blocked for 30 minutes', async () => {
    const ip = uniqueIp();
    const { statuses, last } = await hammer(4, () => rest('POST', '/v1/auth/resend-verification', { email: uniqueEmail() }, { apiKey: tenant.public_key, ip }));
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.ok(retryAfter(last.headers) > 1790);
  });

  it('change-password: 5 per hour per user, whatever the IP', async () => {
    const user = await registerUser(tenant);
    const { statuses } = await hammer(6, () =>
      rest('POST', '/v1/auth/change-password', { current_password: 'WrongPass123', new_password: 'Changed456' }, { apiKey: tenant.public_key, bearer: user.accessToken, ip: uniqueIp() }),
    );
    assert.deepEqual(statuses, [422, 422, 422, 422, 422, 429]);
  });

  it('verify-email-with-token: 20 per hour per IP', async () => {
    const ip = uniqueIp();
    const { statuses, last } = await hammer(21, () => rest('POST', '/v1/auth/verify-email-with-token', { token: 'not-a-real-token' }, { ip }));
    assert.deepEqual(statuses, [...Array(20).fill(400), 429]);
    assert.ok(retryAfter(last.headers) > 0 && retryAfter(last.headers) <= 3600);
  });

  it('GraphQL and REST share one counter', async () => {
    const ip = uniqueIp();
    await hammer(10, () => rest('POST', '/v1/auth/login', { email: 'nobody@example.com', password: PASSWORD }, { apiKey: tenant.public_key, ip }));
    const result = await gql(
      `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`,
      { input: { email: 'nobody@example.com', password: PASSWORD } },
      { apiKey: tenant.public_key, ip },
    );
    assert.equal(result.body.errors[0].extensions.code, 'RATE_LIMITED');
    assert.ok(result.body.errors[0].extensions.retryAfter > 0);
  });
});
