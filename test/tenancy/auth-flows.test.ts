import assert from 'node:assert/strict';
import { PASSWORD, rest, uniqueEmail, uniqueIp } from '../helpers/client';
import { createTenant, registerUser, tokenFromMail, type TestTenant } from '../helpers/tenants';
import { awaitMail, queuedMails } from '../mail/mailbox';

describe('end-user authentication (/v1/auth)', () => {
  let tenant: TestTenant;
  let verifyingTenant: TestTenant;

  before(async () => {
    [tenant, verifyingTenant] = await Promise.all([createTenant(), createTenant({ requireEmailVerification: true })]);
  });

  describe('register', () => {
    it('returns tokens and the user when the tenant needs no verification', async () => {
      const email = uniqueEmail();
      const { status, body } = await rest('POST', '/v1/auth/register', { email, password: PASSWORD, display_name: 'Jo' }, { apiKey: tenant.public_key });
      assert.equal(status, 201);
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type', 'user']);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 3600);
      assert.deepEqual(Object.keys(body.user).sort(), ['avatar_url', 'created_at', 'display_name', 'email', 'id', 'is_active']);
      assert.equal(body.user.email, email);
      assert.equal(body.user.display_name, 'Jo');
      assert.equal(body.user.avatar_url, null);
      assert.equal(body.user.is_active, true);
      assert.ok(!Number.isNaN(Date.parse(body.user.created_at)));
    });

    it('returns only the verification message when the tenant requires verification', async () => {
      const { status, body } = await rest('POST', '/v1/auth/register', { email: uniqueEmail(), password: PASSWORD }, { apiKey: verifyingTenant.public_key });
      assert.equal(status, 201);
      assert.deepEqual(body, { message: 'Registration successful. Please check your email to verify your account.', verification_required: true });
    });

    it('enforces the password policy and names the field', async () => {
      for (const password of ['Short1', 'alllowercase1', 'ALLUPPERCASE1', 'NoDigitsHere']) {
        const { status, body } = await rest('POST', '/v1/auth/register', { email: uniqueEmail(), password }, { apiKey: tenant.public_key });
        assert.equal(status, 422, password);
        assert.match(body.detail, /password/);
      }
    });

    it('rejects an invalid email and a missing field with 422', async () => {
      const invalid = await rest('POST', '/v1/auth/register', { email: 'not-an-email', password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(invalid.status, 422);
      assert.match(invalid.body.detail, /email/);
      const missing = await rest('POST', '/v1/auth/register', { password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(missing.status, 422);
      assert.match(missing.body.detail, /email/);
    });

    it('rejects wrongly typed fields with 422 naming them', async () => {
      const { status, body } = await rest('POST', '/v1/auth/register', { email: { nested: true }, password: 12345678 }, { apiKey: tenant.public_key });
      assert.equal(status, 422);
      assert.match(body.detail, /email must be a string/);
      assert.match(body.detail, /password must be a string/);
      assert.deepEqual(body.errors.map((e: { field: string }) => e.field), ['email', 'password']);
    });

    it('answers 409 for an email already registered, case-insensitively', async () => {
      const user = await registerUser(tenant);
      const { status, body } = await rest('POST', '/v1/auth/register', { email: user.email.toUpperCase(), password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(status, 409);
      assert.equal(typeof body.detail, 'string');
    });

    it('requires an API key', async () => {
      const { status, body } = await rest('POST', '/v1/auth/register', { email: uniqueEmail(), password: PASSWORD });
      assert.equal(status, 401);
      assert.equal(typeof body.detail, 'string');
    });
  });

  describe('login, me, refresh and logout', () => {
    it('logs in and reads me with the access token', async () => {
      const user = await registerUser(tenant);
      const login = await rest('POST', '/v1/auth/login', { email: user.email, password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(login.status, 200);
      assert.equal(login.body.user.id, user.id);
      const me = await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key, bearer: login.body.access_token });
      assert.equal(me.status, 200);
      assert.deepEqual(Object.keys(me.body).sort(), ['avatar_url', 'created_at', 'display_name', 'email', 'id', 'is_active']);
      assert.equal(me.body.email, user.email);
    });

    it('rejects a wrong password and an unknown email alike with 401', async () => {
      const user = await registerUser(tenant);
      const wrong = await rest('POST', '/v1/auth/login', { email: user.email, password: 'WrongPass123' }, { apiKey: tenant.public_key });
      const unknown = await rest('POST', '/v1/auth/login', { email: uniqueEmail(), password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(wrong.body.detail, unknown.body.detail);
    });

    it('answers /me without an access token with 401', async () => {
      const { status, body } = await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key });
      assert.equal(status, 401);
      assert.equal(typeof body.detail, 'string');
    });

    it('rejects a tampered access token with 401', async () => {
      const user = await registerUser(tenant);
      const tampered = user.accessToken.slice(0, -3) + (user.accessToken.endsWith('a') ? 'bbb' : 'aaa');
      const { status } = await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key, bearer: tampered });
      assert.equal(status, 401);
    });

    it('rotates refresh tokens: the new one works, the old one is refused', async () => {
      const user = await registerUser(tenant);
      const first = await rest('POST', '/v1/auth/refresh', { refresh_token: user.refreshToken }, { apiKey: tenant.public_key });
      assert.equal(first.status, 200);
      assert.notEqual(first.body.refresh_token, user.refreshToken);
      assert.equal(first.body.user.id, user.id);
      const me = await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key, bearer: first.body.access_token });
      assert.equal(me.status, 200);
      const second = await rest('POST', '/v1/auth/refresh', { refresh_token: first.body.refresh_token }, { apiKey: tenant.public_key });
      assert.equal(second.status, 200);
    });

    it('revokes the whole session when an old refresh token is reused', async () => {
      const user = await registerUser(tenant);
      const rotated = await rest('POST', '/v1/auth/refresh', { refresh_token: user.refreshToken }, { apiKey: tenant.public_key });
      assert.equal(rotated.status, 200);
      const replay = await rest('POST', '/v1/auth/refresh', { refresh_token: user.refreshToken }, { apiKey: tenant.public_key });
      assert.equal(replay.status, 401);
      // the family is gone: the newest refresh token and its access token stop working too
      const newest = await rest('POST', '/v1/auth/refresh', { refresh_token: rotated.body.refresh_token }, { apiKey: tenant.public_key });
      assert.equal(newest.status, 401);
      const me = await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key, bearer: rotated.body.access_token });
      assert.equal(me.status, 401);
    });

    it('logout ends the session: refresh token and access token stop working', async () => {
      const user = await registerUser(tenant);
      const logout = await rest('POST', '/v1/auth/logout', undefined, { apiKey: tenant.public_key, bearer: user.accessToken });
      assert.equal(logout.status, 200);
      assert.deepEqual(logout.body, { message: 'Successfully logged out' });
      const refresh = await rest('POST', '/v1/auth/refresh', { refresh_token: user.refreshToken }, { apiKey: tenant.public_key });
      assert.equal(refresh.status, 401);
      const me = await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key, bearer: user.accessToken });
      assert.equal(me.status, 401);
    });

    it('refuses garbage refresh tokens with 401 and a missing one with 422', async () => {
      const garbage = await rest('POST', '/v1/auth/refresh', { refresh_token: 'nope' }, { apiKey: tenant.public_key });
      assert.equal(garbage.status, 401);
      const missing = await rest('POST', '/v1/auth/refresh', {}, { apiKey: tenant.public_key });
      assert.equal(missing.status, 422);
      assert.match(missing.body.detail, /refresh_token/);
    });
  });

  describe('passwords', () => {
    it('forgot-password mails a reset token; reset-password sets the new password and ends sessions', async () => {
      const user = await registerUser(tenant);
      const forgot = await rest('POST', '/v1/auth/forgot-password', { email: user.email }, { apiKey: tenant.public_key });
      assert.equal(forgot.status, 200);
      assert.deepEqual(forgot.body, { message: 'Password reset email sent' });
      const mail = await awaitMail(tenant, user.email);
      assert.equal(mail?.kind, 'reset_password');
      const token = tokenFromMail(mail!.text);

      const weak = await rest('POST', '/v1/auth/reset-password', { token, new_password: 'weak' }, { apiKey: tenant.public_key });
      assert.equal(weak.status, 422);
      assert.match(weak.body.detail, /new_password/);

      const reset = await rest('POST', '/v1/auth/reset-password', { token, new_password: 'BrandNew456' }, { apiKey: tenant.public_key });
      assert.equal(reset.status, 200);
      const reused = await rest('POST', '/v1/auth/reset-password', { token, new_password: 'Another789' }, { apiKey: tenant.public_key });
      assert.equal(reused.status, 400);

      const oldLogin = await rest('POST', '/v1/auth/login', { email: user.email, password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(oldLogin.status, 401);
      const newLogin = await rest('POST', '/v1/auth/login', { email: user.email, password: 'BrandNew456' }, { apiKey: tenant.public_key });
      assert.equal(newLogin.status, 200);
      const oldSession = await rest('POST', '/v1/auth/refresh', { refresh_token: user.refreshToken }, { apiKey: tenant.public_key });
      assert.equal(oldSession.status, 401);
    });

    it('forgot-password answers the same for an unknown email and sends nothing', async () => {
      const email = uniqueEmail();
      const { status, body } = await rest('POST', '/v1/auth/forgot-password', { email }, { apiKey: tenant.public_key });
      assert.equal(status, 200);
      assert.deepEqual(body, { message: 'Password reset email sent' });
      assert.equal(await queuedMails(email), 0);
    });

    it('change-password checks the current password and the policy, and signs out the other sessions', async () => {
      const user = await registerUser(tenant);
      const other = await rest('POST', '/v1/auth/login', { email: user.email, password: PASSWORD }, { apiKey: tenant.public_key });
      assert.equal(other.status, 200);
      const auth = { apiKey: tenant.public_key, bearer: user.accessToken };
      const wrong = await rest('POST', '/v1/auth/change-password', { current_password: 'WrongPass123', new_password: 'Changed456' }, auth);
      assert.equal(wrong.status, 422);
      assert.match(wrong.body.detail, /current_password/);
      const weak = await rest('POST', '/v1/auth/change-password', { current_password: PASSWORD, new_password: 'short' }, auth);
      assert.equal(weak.status, 422);
      const ok = await rest('POST', '/v1/auth/change-password', { current_password: PASSWORD, new_password: 'Changed456' }, auth);
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.body, { message: 'Password changed successfully' });
      const login = await rest('POST', '/v1/auth/login', { email: user.email, password: 'Changed456' }, { apiKey: tenant.public_key });
      assert.equal(login.status, 200);
      // the session that changed the password goes on; the other one is over
      assert.equal((await rest('GET', '/v1/auth/me', undefined, auth)).status, 200);
      assert.equal((await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key, bearer: other.body.access_token })).status, 401);
      assert.equal((await rest('POST', '/v1/auth/refresh', { refresh_token: other.body.refresh_token }, { apiKey: tenant.public_key })).status, 401);
    });

    it('change-password requires a signed-in user', async () => {
      const { status } = await rest('POST', '/v1/auth/change-password', { current_password: PASSWORD, new_password: 'Changed456' }, { apiKey: tenant.public_key });
      assert.equal(status, 401);
    });
  });

  describe('email verification', () => {
    async function registerUnverified(): Promise<string> {
      const email = uniqueEmail();
      const { status } = await rest('POST', '/v1/auth/register', { email, password: PASSWORD, return_to: 'https://app.example.com/verify' }, { apiKey: verifyingTenant.public_key });
      assert.equal(status, 201);
      return email;
    }

    it('blocks login until verified, then verify-email (with API key) unlocks it', async () => {
      const email = await registerUnverified();
      const blocked = await rest('POST', '/v1/auth/login', { email, password: PASSWORD }, { apiKey: verifyingTenant.public_key });
      assert.equal(blocked.status, 403);
      const mail = await awaitMail(verifyingTenant, email);
      assert.equal(mail?.kind, 'verify_email');
      assert.match(mail!.text, /^https:\/\/app\.example\.com\/verify\?token=/m);
      const verify = await rest('POST', '/v1/auth/verify-email', { token: tokenFromMail(mail!.text) }, { apiKey: verifyingTenant.public_key });
      assert.equal(verify.status, 200);
      assert.deepEqual(verify.body, { message: 'Email verified successfully' });
      const login = await rest('POST', '/v1/auth/login', { email, password: PASSWORD }, { apiKey: verifyingTenant.public_key });
      assert.equal(login.status, 200);
    });

    it('verify-email-with-token works without any API key', async () => {
      const email = await registerUnverified();
      const token = tokenFromMail((await awaitMail(verifyingTenant, email)).text);
      const verify = await rest('POST', '/v1/auth/verify-email-with-token', { token });
      assert.equal(verify.status, 200);
      const again = await rest('POST', '/v1/auth/verify-email-with-token', { token });
      assert.equal(again.status, 400);
    });

    it("verify-email refuses a token of another tenant's user", async () => {
      const email = await registerUnverified();
      const token = tokenFromMail((await awaitMail(verifyingTenant, email)).text);
      const { status } = await rest('POST', '/v1/auth/verify-email', { token }, { apiKey: tenant.public_key });
      assert.equal(status, 400);
    });

    it('resend-verification issues a new token and retires the old one', async () => {
      const email = await registerUnverified();
      const oldToken = tokenFromMail((await awaitMail(verifyingTenant, email)).text);
      const resend = await rest('POST', '/v1/auth/resend-verification', { email }, { apiKey: verifyingTenant.public_key, ip: uniqueIp() });
      assert.equal(resend.status, 200);
      assert.deepEqual(resend.body, { message: 'Verification email sent' });
      const newToken = tokenFromMail((await awaitMail(verifyingTenant, email, (mail) => tokenFromMail(mail.text) !== oldToken)).text);
      assert.notEqual(newToken, oldToken);
      assert.equal((await rest('POST', '/v1/auth/verify-email', { token: oldToken }, { apiKey: verifyingTenant.public_key })).status, 400);
      assert.equal((await rest('POST', '/v1/auth/verify-email', { token: newToken }, { apiKey: verifyingTenant.public_key })).status, 200);
    });

    it('resend-verification refuses a return_to that is not an http(s) URL', async () => {
      const email = await registerUnverified();
      for (const return_to of ['not a url', 'javascript:alert(1)']) {
        const { status, body } = await rest('POST', '/v1/auth/resend-verification', { email, return_to }, { apiKey: verifyingTenant.public_key });
        assert.equal(status, 422, return_to);
        assert.match(body.detail, /return_to/);
      }
    });

    it('resend-verification answers the same for unknown emails', async () => {
      const { status, body } = await rest('POST', '/v1/auth/resend-verification', { email: uniqueEmail() }, { apiKey: verifyingTenant.public_key });
      assert.equal(status, 200);
      assert.deepEqual(body, { message: 'Verification email sent' });
    });
  });

  it('lists no OAuth providers while none is configured', async () => {
    const { status, body } = await rest('GET', '/v1/auth/providers', undefined, { apiKey: tenant.public_key });
    assert.equal(status, 200);
    assert.deepEqual(body, { providers: [] });
  });
});
