import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jose } from '../../subgraphs/tenancy/oauth/esm-packages';

/** The account the fake provider signs in as (what Google would say about the user). */
export interface FakeAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

/** Ways the provider can misbehave, to test that the platform's verification catches them. */
export interface FakeMisbehaviour {
  /** The ID token carries another nonce than the authorization request's. */
  wrongNonce?: boolean;
  /** The ID token is signed by a key that is not in the JWKS (same key id). */
  foreignSignature?: boolean;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  nonce: string;
  codeChallenge: string;
  account: FakeAccount;
  used: boolean;
}

export interface FakeOidcProvider {
  issuer: string;
  /** Registers an OAuth client (the tenant's client id and secret at the provider). */
  addClient(clientId: string, clientSecret: string): void;
  /** The account the next authorizations approve. */
  signInAs(account: FakeAccount): void;
  misbehave(options: FakeMisbehaviour): void;
  /** Every authorization request's query, and every token request's outcome, in order. */
  authorizations: URLSearchParams[];
  tokenRequests: { clientId: string; status: number; error?: string }[];
  close(): Promise<void>;
}

const sha256url = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * A small OpenID Connect provider on loopback speaking the real protocol: discovery, a JWKS with
 * an RS256 key, an authorization endpoint that approves at once and redirects back with a code,
 * and a token endpoint that checks the code, the PKCE verifier (S256), the redirect URI and the
 * client's credentials (basic or post) before answering a signed ID token.
 */
export async function startFakeOidc(): Promise<FakeOidcProvider> {
  const keyId = randomBytes(8).toString('hex');
  const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const foreign = await jose.generateKeyPair('RS256');
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: keyId, alg: 'RS256', use: 'sig' };
  const clients = new Map<string, string>();
  const codes = new Map<string, IssuedCode>();
  let account: FakeAccount = { sub: 'fake-subject', email: 'someone@example.com', email_verified: true };
  let misbehaviour: FakeMisbehaviour = {};
  const authorizations: URLSearchParams[] = [];
  const tokenRequests: FakeOidcProvider['tokenRequests'] = [];
  let issuer = '';

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const authorize = (res: http.ServerResponse, query: URLSearchParams) => {
    authorizations.push(query);
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!clients.has(clientId) || !redirectUri) return json(res, 400, { error: 'invalid_request', error_description: 'unknown client or no redirect_uri' });
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state) back.searchParams.set('state', state);
    if (query.get('response_type') !== 'code' || query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) {
      back.searchParams.set('error', 'invalid_request');
    } else {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { clientId, redirectUri, nonce: query.get('nonce') ?? '', codeChallenge: query.get('code_challenge')!, account, used: false });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() });
    res.end();
  };

  const token = async (req: http.IncomingMessage, res: http.ServerResponse, form: URLSearchParams) => {
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
      [clientId, clientSecret] = [id, secret];
    }
    const refuse = (status: number, error: string) => {
      tokenRequests.push({ clientId, status, error });
      json(res, status, { error });
    };
    if (!clients.has(clientId) || clients.get(clientId) !== clientSecret) return refuse(401, 'invalid_client');
    const issued = codes.get(form.get('code') ?? '');
    if (form.get('grant_type') !== 'authorization_code' || !issued || issued.used || issued.clientId !== clientId) return refuse(400, 'invalid_grant');
    issued.used = true;
    if (issued.redirectUri !== form.get('redirect_uri')) return refuse(400, 'invalid_grant');
    if (sha256url(form.get('code_verifier') ?? '') !== issued.codeChallenge) return refuse(400, 'invalid_grant');
    const claims = { ...issued.account, nonce: misbehaviour.wrongNonce ? 'not-the-nonce' : issued.nonce };
    const idToken = await new jose.SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: keyId })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setSubject(issued.account.sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(misbehaviour.foreignSignature ? foreign.privateKey : privateKey);
    tokenRequests.push({ clientId, status: 200 });
    json(res, 200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 3600, scope: 'openid email profile', id_token: idToken });
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const route = `${req.method} ${url.pathname}`;
      if (route === 'GET /.well-known/openid-configuration') {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['openid', 'email', 'profile'],
        });
      }
      if (route === 'GET /jwks') return json(res, 200, { keys: [jwk] });
      if (route === 'GET /authorize') return authorize(res, url.searchParams);
      if (route === 'POST /token') return void token(req, res, new URLSearchParams(body)).catch((error) => json(res, 500, { error: String(error) }));
      json(res, 404, { error: 'not_found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    addClient: (clientId, clientSecret) => void clients.set(clientId, clientSecret),
    signInAs: (next) => void (account = next),
    misbehave: (options) => void (misbehaviour = options),
    authorizations,
    tokenRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the platform keeps connections to providers alive
      }),
  };
}
