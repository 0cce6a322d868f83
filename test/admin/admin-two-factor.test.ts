import assert from 'node:assert/strict';
import { rest } from '../helpers/client';
import { eventsWith, sessionCookie, signedInAdmin, totp, type TestAdmin } from './admin-helpers';

const as = (admin: TestAdmin) => ({ bearer: admin.token });

/** Setup and verify-setup: 2FA on, with the enrolment's secret and recovery codes. */
async function enableTwoFactor(admin: TestAdmin): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await rest('POST', '/api/v1/auth/2fa/setup', undefined, as(admin));
  assert.equal(setup.status, 200, JSON.stringify(setup.body));
  const verified = await rest('POST', '/api/v1/auth/2fa/verify-setup', { code: totp(setup.body.secret) }, as(admin));
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  return { secret: setup.body.secret, recoveryCodes: setup.body.recovery_codes };
}

async function pendingLogin(admin: TestAdmin): Promise<string> {
  const login = await rest('POST', '/api/v1/auth/login', { username: admin.username, password: admin.password });
  assert.equal(login.status, 200);
  assert.equal(login.body.requires_2fa, true);
  assert.equal(login.body.access_token, undefined);
  assert.equal(sessionCookie(login), undefined, 'no session before the second factor');
  return login.body.pending_token;
}

describe('tenant admins: TOTP two-factor authentication (002 /api/v1/auth/2fa)', function () {
  this.timeout(60_000);

  it('setup answers a QR code, the secret and 10 recovery codes; a wrong code does not enable 2FA; the right one does', async () => {
    const admin = await signedInAdmin();
    const setup = await rest('POST', '/api/v1/auth/2fa/setup', undefined, as(admin));
    assert.equal(setup.status, 200);
    assert.equal(setup.headers.get('cache-control'), 'no-store');
    assert.match(setup.body.qr_code, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    assert.match(setup.body.otpauth_url, new RegExp(`^otpauth://totp/.*${admin.username}.*secret=${setup.body.secret}`));
    assert.equal(setup.body.recovery_codes.length, 10);
    assert.equal(new Set(setup.body.recovery_codes).size, 10);

    const wrongCode = String((Number(totp(setup.body.secret)) + 500_000) % 1_000_000).padStart(6, '0');
    const wrong = await rest('POST', '/api/v1/auth/2fa/verify-setup', { code: wrongCode }, as(admin));
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.body, { detail: 'Invalid authentication code' });
    assert.deepEqual((await rest('GET', '/api/v1/auth/2fa/status', undefined, as(admin))).body, { enabled: false, recovery_codes_remaining: 0 });

    const verified = await rest('POST', '/api/v1/auth/2fa/verify-setup', { code: totp(setup.body.secret) }, as(admin));
    assert.deepEqual(verified.body, { enabled: true, recovery_codes_remaining: 10 });
    assert.equal((await rest('GET', '/api/v1/auth/me', undefined, as(admin))).body.totp_enabled, true);
    assert.equal((await rest('POST', '/api/v1/auth/2fa/setup', undefined, as(admin))).status, 400, 'no second setup while 2FA is on');
  });

  it('login with 2FA returns a pending token; verify-2fa with the TOTP opens the session; the same code never works twice', async () => {
    const admin = await signedInAdmin();
    const { secret } = await enableTwoFactor(admin);
    const pending = await pendingLogin(admin);

    const wrong = await rest('POST', '/api/v1/auth/login/verify-2fa', { pending_token: pending, code: '000000' === totp(secret, 1) ? '111111' : '000000' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(Object.keys(wrong.body), ['detail']);
    const [head, payload, signature] = pending.split('.');
    const tampered = `${head}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = await rest('POST', '/api/v1/auth/login/verify-2fa', { pending_token: tampered, code: totp(secret, 1) });
    assert.equal(forged.status, 401);
    assert.deepEqual(forged.body, { detail: 'Invalid or expired 2FA token; sign in again' });

    const code = totp(secret, 1);
    const verified = await rest('POST', '/api/v1/auth/login/verify-2fa', { pending_token: pending, code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.requires_2fa, false);
    assert.ok(sessionCookie(verified)?.startsWith(`admin_session=${verified.body.access_token};`));
    assert.equal((await rest('GET', '/api/v1/auth/me', undefined, { bearer: verified.body.access_token })).body.username, admin.username);

    const replay = await rest('POST', '/api/v1/auth/login/verify-2fa', { pending_token: await pendingLogin(admin), code });
    assert.equal(replay.status, 401, 'a TOTP is accepted once (RFC 6238 §5.2)');
  });

  it('a recovery code signs in once; regenerating replaces the codes; disabling needs the password and a TOTP', async () => {
    const admin = await signedInAdmin();
    const { secret, recoveryCodes } = await enableTwoFactor(admin);

    const recovered = await rest('POST', '/api/v1/auth/login/verify-2fa', { pending_token: await pendingLogin(admin), code: recoveryCodes[0], is_recovery: true });
    assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
    const reused = await rest('POST', '/api/v1/auth/login/verify-2fa', { pending_token: await pendingLogin(admin), code: recoveryCodes[0], is_recovery: true });
    assert.equal(reused.status, 401);
    assert.deepEqual((await rest('GET', '/api/v1/auth/2fa/status', undefined, as(admin))).body, { enabled: true, recovery_codes_remaining: 9 });

    const regenerated = await rest('POST', '/api/v1/auth/2fa/regenerate-recovery', undefined, as(admin));
    assert.equal(regenerated.body.recovery_codes.length, 10);
    const old = await rest('POST', '/api/v1/auth/login/verify-2fa', { pending_token: await pendingLogin(admin), code: recoveryCodes[1], is_recovery: true });
    assert.equal(old.status, 401, 'codes from before the regeneration stop working');
    assert.equal((await rest('GET', '/api/v1/auth/2fa/status', undefined, as(admin))).body.recovery_codes_remaining, 10);

    const badPassword = await rest('POST', '/api/v1/auth/2fa/disable', { password: 'WrongPass999', code: totp(secret, 1) }, as(admin));
    assert.equal(badPassword.status, 400);
    const badCode = await rest('POST', '/api/v1/auth/2fa/disable', { password: admin.password, code: 'abcdef' }, as(admin));
    assert.equal(badCode.status, 400);
    assert.deepEqual(badCode.body, { detail: 'Invalid authentication code' });
    const disabled = await rest('POST', '/api/v1/auth/2fa/disable', { password: admin.password, code: totp(secret, 1) }, as(admin));
    assert.deepEqual(disabled.body, { enabled: false, recovery_codes_remaining: 0 });

    const plain = await rest('POST', '/api/v1/auth/login', { username: admin.username, password: admin.password });
    assert.equal(plain.body.requires_2fa, false);
    assert.match(plain.body.access_token, /^adm_/);

    // Each change wrote its typed event with it (admins belong to no tenant: tenant_id is null).
    const events = await eventsWith('adminId', admin.id);
    assert.ok(events.every((e) => e.tenant_id === null));
    assert.deepEqual(
      events.map((e) => e.type).filter((t) => t !== 'admin.logged_in'),
      ['admin.created', 'admin.two_factor_enabled', 'admin.recovery_code_used', 'admin.recovery_codes_regenerated', 'admin.two_factor_disabled'],
    );
    assert.deepEqual(events.find((e) => e.type === 'admin.recovery_code_used')?.payload, { adminId: admin.id, remaining: 9 });
  });
});
