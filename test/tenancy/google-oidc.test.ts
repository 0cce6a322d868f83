import assert from 'node:assert/strict';
import { Client } from 'pg';
import { gql, gqlData, PASSWORD, rest, uniqueEmail, uniqueIp } from '../helpers/client';
import { startFakeOidc, type FakeAccount, type FakeOidcProvider } from '../helpers/fake-oidc';
import { testPlatform } from '../helpers/global';
import { createTenant, registerUser, tokenFromMail, type TestTenant } from '../helpers/tenants';
import { awaitMail } from '../mail/mailbox';
import { StateSigner } from '../../subgraphs/tenancy/oauth/oauth-state';

const FRONTEND = 'http://app.example.test/oauth/callback';

const CONFIGURE = `mutation($input: GoogleSignInInput!) {
  configureGoogleSignIn(input: $input) { provider issuer clientId redirectUris isEnabled callbackUrl }
}`;

interface Setup {
  tenant: TestTenant;
  clientId: string;
  clientSecret: string;
}

let provider: FakeOidcProvider;
let counter = 0;

/** A tenant whose Google sign-in points at the fake provider, with its own client there. */
async function tenantWithGoogle(redirectUris = [FRONTEND]): Promise<Setup> {
  const tenant = await createTenant();
  counter += 1;
  const clientId = `client-${counter}-${tenant.slug}`;
  const clientSecret = `secret-${counter}-${Math.random().toString(36).slice(2)}`;
  provider.addClient(clientId, clientSecret);
  await gqlData(CONFIGURE, { input: { clientId, clientSecret, issuer: provider.issuer, redirectUris } }, { bearer: tenant.secret_key });
  return { tenant, clientId, clientSecret };
}

function account(overrides: Partial<FakeAccount> = {}): FakeAccount {
  return { sub: `google-${Math.random().toString(36).slice(2)}`, email: uniqueEmail('google'), email_verified: true, name: 'Ada Google', ...overrides };
}

async function authorizationUrl(tenant: TestTenant, redirectUri = FRONTEND): Promise<URL> {
  const { status, body } = await rest('GET', `/v1/auth/google/url?redirect_uri=${encodeURIComponent(redirectUri)}`, undefined, { apiKey: tenant.public_key });
  assert.equal(status, 200, JSON.stringify(body));
  return new URL(body.authorization_url);
}

/** The browser at the provider: it approves at once and redirects to the platform's callback. */
async function approveAt(url: URL): Promise<URL> {
  const answer = await fetch(url, { redirect: 'manual' });
  assert.equal(answer.status, 302);
  return new URL(answer.headers.get('location')!);
}

/** The browser following the provider's redirect to the callback (no API key, as from Google). */
async function callback(url: URL): Promise<{ status: number; location: URL | undefined; body: string }> {
  const answer = await fetch(testPlatform().routerUrl + url.pathname + url.search, { redirect: 'manual' });
  const location = answer.headers.get('location');
  return { status: answer.status, location: location ? new URL(location) : undefined, body: await answer.text() };
}

/** The whole sign-in as a browser does it; returns where the platform finally sends the browser. */
async function signIn(tenant: TestTenant, as: FakeAccount): Promise<URL> {
  provider.signInAs(as);
  const result = await callback(await approveAt(await authorizationUrl(tenant)));
  assert.equal(result.status, 302, result.body);
  return result.location!;
}

function tokensOf(location: URL): URLSearchParams {
  assert.equal(location.origin + location.pathname, FRONTEND);
  assert.equal(location.search, '', 'tokens travel in the fragment only');
  return new URLSearchParams(location.hash.slice(1));
}

function failureOf(location: URL): string {
  assert.equal(location.origin + location.pathname, FRONTEND);
  assert.equal(location.searchParams.get('error'), 'oauth_failed');
  assert.equal(location.hash, '');
  return location.searchParams.get('error_description') ?? '';
}

async function me(accessToken: string, tenant: TestTenant) {
  const { status, body } = await rest('GET', '/v1/auth/me', undefined, { apiKey: tenant.public_key, bearer: accessToken });
  assert.equal(status, 200, JSON.stringify(body));
  return body as { id: string; email: string; display_name: string | null };
}

async function sql<T = any>(text: string, values: unknown[]): Promise<T[]> {
  const db = new Client({ connectionString: testPlatform().databaseUrl });
  await db.connect();
  try {
    return (await db.query(text, values)).rows;
  } finally {
    await db.end();
  }
}

describe('Google sign-in (OpenID Connect code flow against a fake provider)', function () {
  this.timeout(60_000);
  let main: Setup;

  before(async () => {
    provider = await startFakeOidc();
    main = await tenantWithGoogle();
  });
  after(() => provider.close());
  afterEach(() => provider.misbehave({}));

  describe('configuration', () => {
    it('lists no provider until one is configured, then Google', async () => {
      const bare = await createTenant();
      assert.deepEqual((await rest('GET', '/v1/auth/providers', undefined, { apiKey: bare.public_key })).body, { providers: [] });
      assert.deepEqual((await rest('GET', '/v1/auth/providers', undefined, { apiKey: main.tenant.public_key })).body, {
        providers: [{ provider: 'google', name: 'Google' }],
      });
    });

    it('is set with a secret key; the client secret is stored encrypted and never readable', async () => {
      const { tenant, clientSecret, clientId } = main;
      const configs = await gqlData('{ oauthProviders { provider issuer clientId redirectUris isEnabled callbackUrl } }', {}, { bearer: tenant.secret_key });
      assert.deepEqual(configs.oauthProviders, [
        {
          provider: 'google',
          issuer: provider.issuer,
          clientId,
          redirectUris: [FRONTEND],
          isEnabled: true,
          callbackUrl: `${testPlatform().config.publicUrl}/v1/auth/google/callback`,
        },
      ]);
      const asked = await gql('{ oauthProviders { clientSecret } }', {}, { bearer: tenant.secret_key });
      assert.match(asked.body.errors[0].message, /Cannot query field "clientSecret"/);
      const [row] = await sql('SELECT client_secret_encrypted FROM tenancy.oauth_providers WHERE tenant_id = $1', [tenant.tenant_id]);
      assert.ok(row.client_secret_encrypted.length > clientSecret.length);
      assert.ok(!row.client_secret_encrypted.includes(clientSecret));
      const events = await sql("SELECT payload FROM platform.outbox WHERE tenant_id = $1 AND type = 'oauth_provider.configured'", [tenant.tenant_id]);
      assert.deepEqual(events.map((e) => e.payload), [{ provider: 'google', isEnabled: true, clientSecretChanged: true }]);
    });

    it('keeps the stored secret when an update omits it, and needs one the first time', async () => {
      const { tenant, clientId } = await tenantWithGoogle();
      const update = await gqlData(CONFIGURE, { input: { clientId, issuer: provider.issuer, redirectUris: [FRONTEND, 'http://localhost:3000/cb'] } }, { bearer: tenant.secret_key });
      assert.deepEqual(update.configureGoogleSignIn.redirectUris, [FRONTEND, 'http://localhost:3000/cb']);
      tokensOf(await signIn(tenant, account())); // the kept secret still authenticates at the token endpoint
      const fresh = await createTenant();
      const missing = await gql(CONFIGURE, { input: { clientId: 'x', redirectUris: [FRONTEND] } }, { bearer: fresh.secret_key });
      assert.equal(missing.body.errors[0].extensions.code, 'VALIDATION_FAILED');
      assert.deepEqual(missing.body.errors[0].extensions.fields, [{ field: 'clientSecret', message: 'is required' }]);
    });

    it('can be disabled: no longer listed, no sign-in starts, no callback completes', async () => {
      const { tenant, clientId } = await tenantWithGoogle();
      provider.signInAs(account());
      const pending = await approveAt(await authorizationUrl(tenant));
      await gqlData(CONFIGURE, { input: { clientId, issuer: provider.issuer, redirectUris: [FRONTEND], isEnabled: false } }, { bearer: tenant.secret_key });
      assert.deepEqual((await rest('GET', '/v1/auth/providers', undefined, { apiKey: tenant.public_key })).body, { providers: [] });
      const start = await rest('GET', `/v1/auth/google/url?redirect_uri=${encodeURIComponent(FRONTEND)}`, undefined, { apiKey: tenant.public_key });
      assert.equal(start.status, 400);
      assert.equal((await callback(pending)).status, 400);
    });

    it('defaults the issuer to Google and refuses a non-https issuer or redirect URI', async () => {
      const tenant = await createTenant();
      const google = await gqlData(CONFIGURE, { input: { clientId: 'id', clientSecret: 'secret', redirectUris: [FRONTEND] } }, { bearer: tenant.secret_key });
      assert.equal(google.configureGoogleSignIn.issuer, 'https://accounts.google.com');
      const plain = await gql(CONFIGURE, { input: { clientId: 'id', clientSecret: 's', issuer: 'http://idp.example.com', redirectUris: [FRONTEND] } }, { bearer: tenant.secret_key });
      assert.deepEqual(plain.body.errors[0].extensions.fields, [{ field: 'issuer', message: 'must be an https URL' }]);
      const badUri = await gql(CONFIGURE, { input: { clientId: 'id', clientSecret: 's', redirectUris: ['javascript:alert(1)'] } }, { bearer: tenant.secret_key });
      assert.equal(badUri.body.errors[0].extensions.code, 'VALIDATION_FAILED');
    });

    it('cannot be read or set with a public key or an end user token', async () => {
      const user = await registerUser(main.tenant);
      for (const caller of [{ apiKey: main.tenant.public_key }, { apiKey: main.tenant.public_key, bearer: user.accessToken }]) {
        const read = await gql('{ oauthProviders { clientId } }', {}, caller);
        assert.ok(['PUBLIC_KEY_NOT_ALLOWED', 'INSUFFICIENT_SCOPE', 'UNAUTHENTICATED'].includes(read.body.errors[0].extensions.code));
        const write = await gql(CONFIGURE, { input: { clientId: 'evil', clientSecret: 'evil', redirectUris: ['https://evil.example'] } }, caller);
        assert.ok(write.body.errors?.length);
      }
      const configs = await gqlData('{ oauthProviders { clientId } }', {}, { bearer: main.tenant.secret_key });
      assert.equal(configs.oauthProviders[0].clientId, main.clientId);
    });
  });

  describe('authorization URL', () => {
    it("points at the issuer's authorization endpoint with PKCE (S256), a nonce and a signed state", async () => {
      const url = await authorizationUrl(main.tenant);
      assert.equal(url.origin + url.pathname, `${provider.issuer}/authorize`);
      const q = url.searchParams;
      assert.equal(q.get('client_id'), main.clientId);
      assert.equal(q.get('response_type'), 'code');
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.match(q.get('code_challenge')!, /^[\w-]{43}$/);
      assert.ok(q.get('nonce'));
      assert.deepEqual(q.get('scope')!.split(' ').sort(), ['email', 'openid', 'profile']);
      assert.equal(q.get('redirect_uri'), `${testPlatform().config.publicUrl}/v1/auth/google/callback`);
      const state = await new StateSigner(testPlatform().config.jwtSecret).check(q.get('state')!);
      assert.equal(state.valid, true);
      assert.equal(state.valid && state.state.tenantId, main.tenant.tenant_id);
      assert.equal(state.valid && state.state.redirectUri, FRONTEND);
    });

    it('refuses a redirect URI that is not on the allow-list (422, the face error body)', async () => {
      const { status, body } = await rest('GET', `/v1/auth/google/url?redirect_uri=${encodeURIComponent('https://evil.example/cb')}`, undefined, {
        apiKey: main.tenant.public_key,
      });
      assert.equal(status, 422);
      assert.equal(body.errors[0].field, 'redirect_uri');
      assert.match(body.detail, /redirect_uri/);
    });

    it('needs redirect_uri, and Google configured for the tenant', async () => {
      const missing = await rest('GET', '/v1/auth/google/url', undefined, { apiKey: main.tenant.public_key });
      assert.equal(missing.status, 422);
      assert.deepEqual(missing.body.errors, [{ field: 'redirect_uri', message: 'is required' }]);
      const bare = await createTenant();
      const notEnabled = await rest('GET', `/v1/auth/google/url?redirect_uri=${encodeURIComponent(FRONTEND)}`, undefined, { apiKey: bare.public_key });
      assert.equal(notEnabled.status, 400);
      assert.deepEqual(notEnabled.body, { detail: 'This sign-in provider is not enabled for this tenant' });
    });
    it('starts at most 30 sign-ins per 15 minutes from one IP, then 429 with Retry-After', async () => {
      const ip = uniqueIp();
      const path = `/v1/auth/google/url?redirect_uri=${encodeURIComponent(FRONTEND)}`;
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) statuses.push((await rest('GET', path, undefined, { apiKey: main.tenant.public_key, ip })).status);
      assert.deepEqual(statuses, Array(30).fill(200));
      const limited = await rest('GET', path, undefined, { apiKey: main.tenant.public_key, ip });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal((await rest('GET', path, undefined, { apiKey: main.tenant.public_key, ip: uniqueIp() })).status, 200);
    });

    it('sends the browser back with error=oauth_failed when the issuer cannot be reached', async () => {
      const tenant = await createTenant();
      const closed = await startFakeOidc();
      await closed.close(); // a loopback port nobody listens on any more
      await gqlData(CONFIGURE, { input: { clientId: 'id', clientSecret: 'secret', issuer: closed.issuer, redirectUris: [FRONTEND] } }, { bearer: tenant.secret_key });
      assert.match(failureOf(await authorizationUrl(tenant)), /could not be reached/);
    });
  });

  describe('callback', () => {
    it('creates a verified user for a new email and redirects with the tokens in the fragment', async () => {
      const who = account();
      const tokens = tokensOf(await signIn(main.tenant, who));
      assert.equal(tokens.get('token_type'), 'bearer');
      assert.equal(tokens.get('expires_in'), String(testPlatform().config.accessTokenTtlSeconds));
      assert.ok(tokens.get('refresh_token'));
      const user = await me(tokens.get('access_token')!, main.tenant);
      assert.equal(user.email, who.email);
      assert.equal(user.display_name, 'Ada Google');
      const [row] = await sql('SELECT email_verified_at FROM tenancy.end_users WHERE id = $1', [user.id]);
      assert.ok(row.email_verified_at, 'the provider verified the email');
      const links = await sql('SELECT provider, subject FROM tenancy.oauth_identities WHERE user_id = $1', [user.id]);
      assert.deepEqual(links, [{ provider: 'google', subject: who.sub }]);
      const refreshed = await rest('POST', '/v1/auth/refresh', { refresh_token: tokens.get('refresh_token') }, { apiKey: main.tenant.public_key });
      assert.equal(refreshed.status, 200);

      // Signing in again with the same account is the same user, even with another email at Google.
      const again = tokensOf(await signIn(main.tenant, { ...who, email: uniqueEmail('renamed') }));
      assert.equal((await me(again.get('access_token')!, main.tenant)).id, user.id);
      const events = await sql("SELECT type FROM platform.outbox WHERE tenant_id = $1 AND payload->>'userId' = $2", [main.tenant.tenant_id, user.id]);
      assert.deepEqual(events.map((e) => e.type).sort(), ['end_user.identity_linked', 'end_user.logged_in', 'end_user.logged_in', 'end_user.registered']);
    });

    it('links an existing user with the same verified email instead of creating another', async () => {
      const existing = await registerUser(main.tenant);
      await rest('POST', '/v1/auth/resend-verification', { email: existing.email }, { apiKey: main.tenant.public_key });
      const token = tokenFromMail((await awaitMail(main.tenant, existing.email)).text);
      assert.equal((await rest('POST', '/v1/auth/verify-email', { token }, { apiKey: main.tenant.public_key })).status, 200);

      const tokens = tokensOf(await signIn(main.tenant, account({ email: existing.email.toUpperCase() })));
      assert.equal((await me(tokens.get('access_token')!, main.tenant)).id, existing.id);
      const users = await sql('SELECT id FROM tenancy.end_users WHERE tenant_id = $1 AND email = $2', [main.tenant.tenant_id, existing.email]);
      assert.equal(users.length, 1);
      const login = await rest('POST', '/v1/auth/login', { email: existing.email, password: PASSWORD }, { apiKey: main.tenant.public_key });
      assert.equal(login.status, 200, 'the password still works');
    });

    it('does not link an account whose email is not verified, nor a provider email that is unverified', async () => {
      const unverified = await registerUser(main.tenant);
      const description = failureOf(await signIn(main.tenant, account({ email: unverified.email })));
      assert.match(description, /not verified/);
      assert.equal((await sql('SELECT 1 FROM tenancy.oauth_identities WHERE user_id = $1', [unverified.id])).length, 0);

      const unverifiedAtGoogle = account({ email_verified: false });
      assert.match(failureOf(await signIn(main.tenant, unverifiedAtGoogle)), /no verified email/);
      assert.equal((await sql('SELECT 1 FROM tenancy.end_users WHERE email = $1', [unverifiedAtGoogle.email])).length, 0);
    });

    it('answers 400 with the face error body, and no redirect, for a tampered or missing state', async () => {
      provider.signInAs(account());
      const back = await approveAt(await authorizationUrl(main.tenant));
      const state = back.searchParams.get('state')!;
      const [header, payload, signature] = state.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, rdr: 'https://evil.example/steal' })).toString('base64url')}.${signature}`;
      for (const bad of [forged, `${state}x`, 'not-a-state']) {
        back.searchParams.set('state', bad);
        const result = await callback(back);
        assert.equal(result.status, 400);
        assert.equal(result.location, undefined);
        assert.deepEqual(JSON.parse(result.body), { detail: 'Invalid or tampered OAuth state' });
      }
      back.searchParams.delete('state');
      assert.equal((await callback(back)).status, 400);
    });

    it('reports an expired state to the vetted redirect URI with error=oauth_failed', async () => {
      const who = account();
      provider.signInAs(who);
      const back = await approveAt(await authorizationUrl(main.tenant));
      const signer = new StateSigner(testPlatform().config.jwtSecret);
      const checked = await signer.check(back.searchParams.get('state')!);
      assert.ok(checked.valid);
      // The state says when it expires: sign the same one as if that time had passed.
      assert.ok(checked.state.expiresAt.getTime() > Date.now());
      back.searchParams.set('state', await signer.sign({ ...checked.state, expiresAt: new Date(Date.now() - 1000) }));
      const result = await callback(back);
      assert.equal(result.status, 302);
      assert.match(failureOf(result.location!), /too long/);
      assert.equal((await sql('SELECT 1 FROM tenancy.end_users WHERE email = $1', [who.email])).length, 0);
    });

    for (const [name, misbehaviour] of [
      ['a wrong nonce', { wrongNonce: true }],
      ['an ID token signed with a key not in the JWKS', { foreignSignature: true }],
    ] as const) {
      it(`fails with error=oauth_failed for ${name}, creating nobody`, async () => {
        provider.misbehave(misbehaviour);
        const who = account();
        const description = failureOf(await signIn(main.tenant, who));
        assert.match(description, /could not be verified/);
        assert.equal((await sql('SELECT 1 FROM tenancy.end_users WHERE email = $1', [who.email])).length, 0);
      });
    }

    it('completes each sign-in once, and reports a refusal at the provider', async () => {
      provider.signInAs(account());
      const back = await approveAt(await authorizationUrl(main.tenant));
      tokensOf((await callback(back)).location!);
      assert.match(failureOf((await callback(back)).location!), /already completed/);

      const denied = await approveAt(await authorizationUrl(main.tenant));
      denied.searchParams.delete('code');
      denied.searchParams.set('error', 'access_denied');
      assert.match(failureOf((await callback(denied)).location!), /access_denied/);
    });
  });

  it('documents the endpoints in the /v1 OpenAPI document (the callback answers 302)', async () => {
    const { body } = await rest('GET', '/v1/openapi.json');
    assert.deepEqual(Object.keys(body.paths['/v1/auth/google/callback'].get.responses), ['302']);
    assert.ok(body.paths['/v1/auth/google/url'].get.parameters.some((p: { name: string }) => p.name === 'redirect_uri'));
  });

  describe('tenant isolation', () => {
    it("uses only the state's tenant's configuration and users", async () => {
      const other = await tenantWithGoogle(['https://other.example/cb']);
      // Tenant A's frontend is not on B's list, and B's sign-in goes to B's client.
      const refused = await rest('GET', `/v1/auth/google/url?redirect_uri=${encodeURIComponent(FRONTEND)}`, undefined, { apiKey: other.tenant.public_key });
      assert.equal(refused.status, 422);
      const url = await (async () => {
        const { body } = await rest('GET', `/v1/auth/google/url?redirect_uri=${encodeURIComponent('https://other.example/cb')}`, undefined, {
          apiKey: other.tenant.public_key,
        });
        return new URL(body.authorization_url);
      })();
      assert.equal(url.searchParams.get('client_id'), other.clientId);

      // The same Google account in two tenants is two users, one per tenant.
      const who = account();
      const inMain = tokensOf(await signIn(main.tenant, who));
      provider.signInAs(who);
      const before = provider.tokenRequests.length;
      const inOther = await callback(await approveAt(url));
      // B's code exchange authenticated as B's client: never A's.
      assert.deepEqual(provider.tokenRequests.slice(before), [{ clientId: other.clientId, status: 200 }]);
      assert.equal(inOther.location!.origin, 'https://other.example');
      const otherTokens = new URLSearchParams(inOther.location!.hash.slice(1));
      const a = await me(inMain.get('access_token')!, main.tenant);
      const b = await me(otherTokens.get('access_token')!, other.tenant);
      assert.notEqual(a.id, b.id);
      assert.equal((await rest('GET', '/v1/auth/me', undefined, { apiKey: other.tenant.public_key, bearer: inMain.get('access_token')! })).status, 401);
      const configs = await gqlData('{ oauthProviders { clientId redirectUris } }', {}, { bearer: other.tenant.secret_key });
      assert.deepEqual(configs.oauthProviders, [{ clientId: other.clientId, redirectUris: ['https://other.example/cb'] }]);
    });
  });
});
