import assert from 'node:assert/strict';
import { gql, rest, uniqueIp, PASSWORD } from '../helpers/client';
import { createTenant, registerUser } from '../helpers/tenants';
import { operator, sessionCookie, signedInAdmin } from './admin-helpers';

const bearer = (token: string) => ({ bearer: token });

describe('tenant admins: setup, login, session (002 /api/v1/auth)', function () {
  this.timeout(60_000);

  it('setup makes the first admin (the operator) once: then 409 and status says no setup is needed', async () => {
    const { username, response } = await operator();
    assert.equal(response.body.requires_2fa, false);
    assert.equal(response.body.username, username);
    assert.match(response.body.access_token, /^adm_/);
    const me = await rest('GET', '/api/v1/auth/me', undefined, bearer(response.body.access_token));
    assert.equal(me.status, 200);
    assert.equal(me.body.is_operator, true);

    const again = await rest('POST', '/api/v1/auth/setup', { username: 'second-operator', password: PASSWORD });
    assert.equal(again.status, 409);
    assert.deepEqual(Object.keys(again.body), ['detail']);
    assert.deepEqual((await rest('GET', '/api/v1/auth/status')).body, { setup_required: false });
  });

  it('login sets an HTTP-only session cookie and returns the same token for Bearer use; both reach /auth/me', async () => {
    const admin = await signedInAdmin();
    const login = await rest('POST', '/api/v1/auth/login', { username: admin.username, password: admin.password });
    assert.equal(login.status, 200);
    assert.equal(login.body.requires_2fa, false);
    assert.equal(login.body.totp_enabled, false);
    assert.equal(login.body.pending_token, undefined);
    const cookie = sessionCookie(login)!;
    assert.ok(cookie.startsWith(`admin_session=${login.body.access_token};`), cookie);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);

    const byCookie = await rest('GET', '/api/v1/auth/me', undefined, { headers: { cookie: `theme=dark; admin_session=${login.body.access_token}` } });
    const byBearer = await rest('GET', '/api/v1/auth/me', undefined, bearer(login.body.access_token));
    for (const me of [byCookie, byBearer]) {
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.username, admin.username);
      assert.equal(me.body.totp_enabled, false);
      assert.equal(me.body.is_operator, false);
    }
  });

  it('a wrong password or unknown username is 401 {detail}; bad input is 422 naming the fields', async () => {
    const admin = await signedInAdmin();
    const wrong = await rest('POST', '/api/v1/auth/login', { username: admin.username, password: 'WrongPass999' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { detail: 'Invalid username or password' });
    assert.equal(sessionCookie(wrong), undefined);
    assert.equal((await rest('POST', '/api/v1/auth/login', { username: 'nobody-here', password: PASSWORD })).status, 401);
    const missing = await rest('POST', '/api/v1/auth/login', { username: admin.username });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.errors.map((e: { field: string }) => e.field), ['password']);
  });

  it('login attempts are limited per client IP (429 {detail})', async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await rest('POST', '/api/v1/auth/login', { username: 'nobody-here', password: 'WrongPass999' }, { ip })).status);
    assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
  });

  it('without a session the admin endpoints are 401 {detail}; API keys and end users are refused too', async () => {
    assert.equal((await rest('GET', '/api/v1/auth/me')).status, 401);
    const tenant = await createTenant();
    const user = await registerUser(tenant);
    for (const caller of [{ bearer: tenant.secret_key }, { apiKey: tenant.public_key, bearer: user.accessToken }]) {
      const me = await rest('GET', '/api/v1/auth/me', undefined, caller);
      assert.equal(me.status, 401);
      assert.deepEqual(Object.keys(me.body), ['detail']);
      const { body } = await gql('{ adminMe { id } adminTwoFactorStatus { enabled } }', {}, caller);
      assert.deepEqual(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code), ['UNAUTHENTICATED', 'UNAUTHENTICATED']);
    }
    // An admin session is no tenant caller until it names a workspace of its own (X-Workspace-ID).
    const admin = await signedInAdmin();
    const { body } = await gql('{ endUsers { id } }', {}, bearer(admin.token));
    assert.equal(body.errors[0].extensions.code, 'FORBIDDEN');
    assert.match(body.errors[0].message, /X-Workspace-ID/);
    assert.equal((await rest('GET', '/api/v1/auth/me', undefined, { bearer: 'adm_notarealsessiontoken000000' })).status, 401);
  });

  it('logout ends the session and clears the cookie; a stale cookie does not block the next login', async () => {
    const admin = await signedInAdmin();
    const logout = await rest('POST', '/api/v1/auth/logout', undefined, { headers: { cookie: `admin_session=${admin.token}` } });
    assert.equal(logout.status, 200);
    assert.match(sessionCookie(logout)!, /^admin_session=; Max-Age=0/);
    assert.equal((await rest('GET', '/api/v1/auth/me', undefined, bearer(admin.token))).status, 401);
    const stale = { headers: { cookie: `admin_session=${admin.token}` } };
    assert.equal((await rest('GET', '/api/v1/auth/me', undefined, stale)).status, 401);
    assert.equal((await rest('POST', '/api/v1/auth/login', { username: admin.username, password: admin.password }, stale)).status, 200);
  });

  it('the tool builder face has its own OpenAPI document, with the auth endpoints at their full paths', async () => {
    const { status, body } = await rest('GET', '/api/v1/tool-builder/openapi.json');
    assert.equal(status, 200);
    for (const path of ['/api/v1/auth/status', '/api/v1/auth/login', '/api/v1/auth/login/verify-2fa', '/api/v1/auth/2fa/setup', '/api/v1/auth/me']) {
      assert.ok(body.paths[path], `${path} in ${Object.keys(body.paths).join(', ')}`);
    }
    assert.ok(body.paths['/api/v1/auth/me'].patch && body.paths['/api/v1/auth/me'].get);
  });

  it('PATCH /auth/me changes username and password with the current password; a new password ends the other sessions', async () => {
    const admin = await signedInAdmin();
    const other = (await rest('POST', '/api/v1/auth/login', { username: admin.username, password: admin.password })).body.access_token;
    const wrong = await rest('PATCH', '/api/v1/auth/me', { current_password: 'WrongPass999', username: 'x-renamed' }, bearer(admin.token));
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.body, { detail: 'Current password is incorrect' });
    const taken = await rest('PATCH', '/api/v1/auth/me', { current_password: admin.password, username: (await operator()).username.toUpperCase() }, bearer(admin.token));
    assert.equal(taken.status, 409);

    const renamed = `${admin.username}-renamed`;
    const updated = await rest('PATCH', '/api/v1/auth/me', { current_password: admin.password, username: renamed, password: 'NewSecret456' }, bearer(admin.token));
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.username, renamed);
    assert.equal((await rest('GET', '/api/v1/auth/me', undefined, bearer(admin.token))).status, 200);
    assert.equal((await rest('GET', '/api/v1/auth/me', undefined, bearer(other))).status, 401);
    assert.equal((await rest('POST', '/api/v1/auth/login', { username: renamed, password: admin.password })).status, 401);
    assert.equal((await rest('POST', '/api/v1/auth/login', { username: renamed, password: 'NewSecret456' })).status, 200);
  });
});
