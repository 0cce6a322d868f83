import { createHash } from 'node:crypto';
import type { Configuration } from 'openid-client' with { 'resolution-mode': 'import' };
import { oidc } from './esm-packages';

/** What the sign-in needs of a provider configuration. */
export interface OidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The verified ID token claims the sign-in uses. */
export interface VerifiedIdentity {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
  picture: string | undefined;
}

/** Discovery results are reused this long (providers rotate keys; the JWKS is refetched on an unknown key id). */
const DISCOVERY_TTL_MS = 10 * 60 * 1000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Issuers must use https; plain http only on loopback (a provider on the same machine, e.g. in tests). */
export function issuerProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'must be a URL';
  }
  if (url.search || url.hash) return 'must have no query or fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must be an https URL';
}

/**
 * The OpenID Connect code flow with PKCE (S256), through openid-client: endpoints and keys come
 * from the issuer's discovery document; the ID token's signature (JWKS), issuer, audience,
 * expiry and nonce are verified before any claim is used.
 */
export class OidcClient {
  private readonly configurations = new Map<string, { configuration: Promise<Configuration>; until: number }>();

  async authorizationUrl(provider: OidcProvider, request: { callbackUrl: string; state: string; nonce: string; codeVerifier: string }): Promise<string> {
    const configuration = await this.configuration(provider);
    return oidc
      .buildAuthorizationUrl(configuration, {
        redirect_uri: request.callbackUrl,
        response_type: 'code',
        scope: 'openid email profile',
        state: request.state,
        nonce: request.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(request.codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString();
  }

  /** Exchanges the code; throws (with a message fit for the user) when anything fails verification. */
  async exchangeCode(
    provider: OidcProvider,
    response: { callbackUrl: string; parameters: Record<string, string>; state: string; nonce: string; codeVerifier: string },
  ): Promise<VerifiedIdentity> {
    const configuration = await this.configuration(provider);
    const currentUrl = new URL(response.callbackUrl);
    for (const [name, value] of Object.entries(response.parameters)) currentUrl.searchParams.set(name, value);
    const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: response.codeVerifier,
      expectedState: response.state,
      expectedNonce: response.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider returned no ID token');
    const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
    return {
      subject: claims.sub,
      email: text(claims.email),
      emailVerified: claims.email_verified === true,
      name: text(claims.name),
      picture: text(claims.picture),
    };
  }

  /** Forgets a provider's discovery results (after its configuration changed). */
  forget(provider: OidcProvider): void {
    this.configurations.delete(cacheKey(provider));
  }

  private configuration(provider: OidcProvider): Promise<Configuration> {
    const key = cacheKey(provider);
    const cached = this.configurations.get(key);
    if (cached && cached.until > Date.now()) return cached.configuration;
    const execute = [oidc.enableNonRepudiationChecks];
    if (new URL(provider.issuer).protocol === 'http:') execute.push(oidc.allowInsecureRequests); // loopback only (issuerProblem)
    const configuration = oidc.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, { execute });
    this.configurations.set(key, { configuration, until: Date.now() + DISCOVERY_TTL_MS });
    configuration.catch(() => this.configurations.delete(key)); // a failed discovery is retried next time
    return configuration;
  }
}

function cacheKey(provider: OidcProvider): string {
  return createHash('sha256').update(JSON.stringify([provider.issuer, provider.clientId, provider.clientSecret])).digest('hex');
}
