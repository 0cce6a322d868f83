import { randomBytes } from 'node:crypto';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { type DataSource, type EntityManager } from 'typeorm';
import { hashPassword } from '../../../src/auth/passwords';
import type { Config } from '../../../src/config';
import { DomainError, validationError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { Identity } from '../../../src/identity';
import { enforceRateLimit } from '../../../src/rate-limit';
import type { Logger } from '../../../src/logger';
import { normalizeEmail } from '../../../src/validation';
import { scaledRule } from '../auth/auth.rate-limits';
import type { AuthService, IssuedTokens } from '../auth/auth.service';
import { EndUser } from '../end-user/end-user.entity';
import { EndUserLoggedIn, EndUserRegistered } from '../end-user/end-user.events';
import { TenancyErrors } from '../tenancy.errors';
import { oidc } from './esm-packages';
import { EndUserIdentityLinked, OAuthProviderConfigured } from './oauth.events';
import { OAuthIdentity } from './oauth-identity.entity';
import { OAUTH_PROVIDERS, OAuthProviderConfig, type OAuthProviderName } from './oauth-provider.entity';
import { OAuthSignInAttempt } from './oauth-sign-in-attempt.entity';
import { StateSigner } from './oauth-state';
import { issuerProblem, OidcClient, type VerifiedIdentity } from './oidc-client';
import { SecretBox } from './secret-box';

export interface ProviderSettings {
  clientId: string;
  /** Required the first time; omitted, the stored secret is kept. */
  clientSecret?: string | null;
  issuer?: string | null;
  redirectUris: string[];
  isEnabled?: boolean | null;
}

/** What the provider sent back to the callback (query string). */
export interface CallbackParameters {
  code?: string | null;
  state?: string | null;
  /** Set instead of a code when the user declined or the provider refused (RFC 6749 §4.1.2.1). */
  error?: string | null;
}

export const DEFAULT_ISSUERS: Record<OAuthProviderName, string> = { google: 'https://accounts.google.com' };
/** How long a started sign-in may take at the provider. */
const SIGN_IN_TTL_MS = 10 * 60 * 1000;

/** A sign-in that failed after the state was trusted: reported to the frontend, not as an HTTP error. */
class SignInFailure extends Error {}

/**
 * Sign-in with an OpenID Connect provider (Google): per-tenant configuration, the authorization
 * URL with a signed state, and the callback that links or creates the end user and starts a session.
 */
export class OAuthService {
  private readonly states: StateSigner;
  private readonly secrets: SecretBox;

  constructor(
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly config: Config,
    private readonly log: Logger,
    private readonly oidcClient = new OidcClient(),
  ) {
    this.states = new StateSigner(config.jwtSecret);
    this.secrets = new SecretBox(config.jwtSecret);
  }

  /** The URL the provider returns to; the tenant registers it at the provider. */
  callbackUrl(provider: OAuthProviderName): string {
    return `${this.config.publicUrl}/v1/auth/${provider}/callback`;
  }

  async enabledProviders(tenantId: string): Promise<{ provider: string; name: string }[]> {
    const rows = await this.dataSource.getRepository(OAuthProviderConfig).find({ where: { tenantId, isEnabled: true }, order: { provider: 'ASC' } });
    return rows.map((row) => ({ provider: row.provider, name: OAUTH_PROVIDERS[row.provider] }));
  }

  providerConfigs(tenantId: string): Promise<OAuthProviderConfig[]> {
    return this.dataSource.getRepository(OAuthProviderConfig).find({ where: { tenantId }, order: { provider: 'ASC' } });
  }

  async configure(tenantId: string, provider: OAuthProviderName, settings: ProviderSettings): Promise<OAuthProviderConfig> {
    const issuer = (settings.issuer || DEFAULT_ISSUERS[provider]).replace(/\/$/, '');
    const problem = issuerProblem(issuer);
    if (problem) throw validationError([{ field: 'issuer', message: problem }]);
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(OAuthProviderConfig);
      const existing = await repository.findOne({ where: { tenantId, provider }, lock: { mode: 'pessimistic_write' } });
      if (!existing && !settings.clientSecret) throw validationError([{ field: 'clientSecret', message: 'is required' }]);
      const values = {
        issuer,
        clientId: settings.clientId.trim(),
        redirectUris: [...new Set(settings.redirectUris)],
        isEnabled: settings.isEnabled ?? existing?.isEnabled ?? true,
        ...(settings.clientSecret ? { clientSecretEncrypted: await this.secrets.seal(settings.clientSecret) } : {}),
      };
      if (existing) await repository.update({ id: existing.id, tenantId }, values);
      else await repository.insert({ tenantId, provider, ...values } as OAuthProviderConfig);
      await emit(manager, OAuthProviderConfigured, tenantId, { provider, isEnabled: values.isEnabled, clientSecretChanged: Boolean(settings.clientSecret) });
      return repository.findOneOrFail({ where: { tenantId, provider } });
    });
  }

  /** The provider's authorization URL for a frontend on the tenant's allow-list. */
  async authorizationUrl(identity: Identity, tenantId: string, provider: OAuthProviderName, redirectUri: string): Promise<string> {
    await enforceRateLimit(this.dataSource, `auth:oauthStart:${tenantId}:${identity.ip}`, scaledRule('oauthStart', this.config.authRateLimitFactor));
    const configuration = await this.enabledConfig(tenantId, provider);
    if (!configuration) throw new DomainError(TenancyErrors.PROVIDER_NOT_ENABLED);
    if (!configuration.redirectUris.includes(redirectUri)) {
      throw validationError([{ field: 'redirectUri', message: "is not on the tenant's list of allowed redirect URIs" }]);
    }
    const attempt = await this.dataSource.transaction(async (manager) => {
      // Started sign-ins are short-lived: clear the tenant's stale ones as new ones start.
      await manager
        .createQueryBuilder()
        .delete()
        .from(OAuthSignInAttempt)
        .where("tenant_id = :tenantId AND expires_at < now() - interval '1 day'", { tenantId })
        .execute();
      const row = manager.getRepository(OAuthSignInAttempt).create({
        tenantId,
        provider,
        redirectUri,
        codeVerifier: oidc.randomPKCECodeVerifier(),
        nonce: oidc.randomNonce(),
        expiresAt: new Date(Date.now() + SIGN_IN_TTL_MS),
      });
      await manager.getRepository(OAuthSignInAttempt).insert(row);
      return row;
    });
    const state = await this.states.sign({ tenantId, redirectUri, attemptId: attempt.id, expiresAt: attempt.expiresAt });
    try {
      return await this.oidcClient.authorizationUrl(await this.credentials(configuration), {
        callbackUrl: this.callbackUrl(provider),
        state,
        nonce: attempt.nonce,
        codeVerifier: attempt.codeVerifier,
      });
    } catch (error) {
      // The frontend learns it where it learns every sign-in failure: on its (vetted) redirect URI.
      this.log.warn({ err: error, tenantId, provider, issuer: configuration.issuer }, 'OIDC discovery failed');
      return failureUrl(redirectUri, 'The sign-in provider could not be reached; please try again later');
    }
  }

  /**
   * The provider's redirect back: where to send the browser. With tokens in the fragment on
   * success, with `?error=oauth_failed` on failure; an error (400) only when the state cannot be
   * trusted, since then there is no vetted URI to report to.
   */
  async completeSignIn(provider: OAuthProviderName, parameters: CallbackParameters): Promise<string> {
    const checked = parameters.state ? await this.states.check(parameters.state) : undefined;
    if (!checked || (!checked.valid && checked.reason === 'invalid')) throw new DomainError(TenancyErrors.INVALID_OAUTH_STATE);
    const { tenantId, redirectUri, attemptId } = checked.state;
    // The allow-list may have changed since the state was signed: report only to a URI still on it.
    const configuration = await this.enabledConfig(tenantId, provider);
    if (!configuration?.redirectUris.includes(redirectUri)) throw new DomainError(TenancyErrors.INVALID_OAUTH_STATE);
    try {
      if (!checked.valid) throw new SignInFailure('The sign-in took too long; please try again');
      if (parameters.error) throw new SignInFailure(`The provider answered ${parameters.error.slice(0, 64)}`);
      if (!parameters.code) throw new SignInFailure('The provider sent no authorization code');
      const attempt = await this.consumeAttempt(tenantId, provider, attemptId);
      const identity = await this.verifiedIdentity(configuration, parameters, attempt);
      const tokens = await this.signIn(tenantId, provider, identity);
      const fragment = new URLSearchParams({
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        token_type: 'bearer',
        expires_in: String(tokens.expiresIn),
      });
      return `${redirectUri.split('#')[0]}#${fragment}`;
    } catch (error) {
      if (!(error instanceof SignInFailure)) throw error;
      return failureUrl(redirectUri, error.message);
    }
  }

  private enabledConfig(tenantId: string, provider: OAuthProviderName): Promise<OAuthProviderConfig | null> {
    return this.dataSource.getRepository(OAuthProviderConfig).findOneBy({ tenantId, provider, isEnabled: true });
  }

  private async credentials(configuration: OAuthProviderConfig) {
    const { clientSecretEncrypted } = await this.dataSource
      .getRepository(OAuthProviderConfig)
      .createQueryBuilder('p')
      .select('p.id')
      .addSelect('p.clientSecretEncrypted')
      .where('p.id = :id AND p.tenant_id = :tenantId', { id: configuration.id, tenantId: configuration.tenantId })
      .getOneOrFail();
    return { issuer: configuration.issuer, clientId: configuration.clientId, clientSecret: await this.secrets.open(clientSecretEncrypted) };
  }

  /** Each started sign-in completes once: it is marked used before the code is exchanged. */
  private async consumeAttempt(tenantId: string, provider: OAuthProviderName, attemptId: string): Promise<OAuthSignInAttempt> {
    const attempt = await this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(OAuthSignInAttempt).findOne({ where: { id: attemptId, tenantId, provider }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.usedAt || row.expiresAt < new Date()) return undefined;
      await manager.getRepository(OAuthSignInAttempt).update({ id: row.id, tenantId }, { usedAt: () => 'now()' });
      return row;
    });
    if (!attempt) throw new SignInFailure('This sign-in was already completed or has expired; please try again');
    return attempt;
  }

  private async verifiedIdentity(configuration: OAuthProviderConfig, parameters: CallbackParameters, attempt: OAuthSignInAttempt): Promise<VerifiedIdentity> {
    const callback = { code: parameters.code!, state: parameters.state! };
    try {
      return await this.oidcClient.exchangeCode(await this.credentials(configuration), {
        callbackUrl: this.callbackUrl(configuration.provider),
        parameters: callback,
        state: parameters.state!,
        nonce: attempt.nonce,
        codeVerifier: attempt.codeVerifier,
      });
    } catch (error) {
      this.log.warn({ err: error, tenantId: configuration.tenantId, provider: configuration.provider }, 'OIDC code exchange or ID token verification failed');
      throw new SignInFailure('The sign-in could not be verified with the provider');
    }
  }

  /** The linked user, else the user with the same verified email (linked now), else a new verified user. */
  private async signIn(tenantId: string, provider: OAuthProviderName, identity: VerifiedIdentity): Promise<IssuedTokens> {
    if (!identity.email || !identity.emailVerified) throw new SignInFailure('The provider account has no verified email address');
    const email = normalizeEmail(identity.email);
    return this.dataSource
      .transaction(async (manager) => {
        const user = (await this.linkedUser(manager, tenantId, provider, identity.subject)) ?? (await this.linkByEmail(manager, tenantId, provider, identity, email));
        if (!user.isActive) throw new SignInFailure('Account is disabled');
        await emit(manager, EndUserLoggedIn, tenantId, { userId: user.id });
        return this.auth.startSession(manager, user);
      })
      .catch((error) => {
        // Two first sign-ins of the same account at once: one wins, the other may simply retry.
        if (uniqueViolation(error) !== undefined) throw new SignInFailure('Please try signing in again');
        throw error;
      });
  }

  private async linkedUser(manager: EntityManager, tenantId: string, provider: OAuthProviderName, subject: string): Promise<EndUser | null> {
    const link = await manager.getRepository(OAuthIdentity).findOneBy({ tenantId, provider, subject });
    return link ? manager.getRepository(EndUser).findOneBy({ tenantId, id: link.userId }) : null;
  }

  private async linkByEmail(
    manager: EntityManager,
    tenantId: string,
    provider: OAuthProviderName,
    identity: VerifiedIdentity,
    email: string,
  ): Promise<EndUser> {
    const users = manager.getRepository(EndUser);
    let user = await users.findOneBy({ tenantId, email });
    if (user && !user.emailVerifiedAt) {
      // Linking an unverified account would let whoever registered it with a password share the provider's account.
      throw new SignInFailure('An account with this email exists but its email is not verified: sign in with your password and verify it first');
    }
    if (!user) {
      user = users.create({
        tenantId,
        email,
        passwordHash: await hashPassword(randomBytes(32).toString('base64url')), // no usable password until a reset
        displayName: identity.name ?? null,
        avatarUrl: identity.picture ?? null,
        locale: 'en',
        isActive: true,
        emailVerifiedAt: new Date(), // the provider verified it
      });
      await users.insert(user);
      await emit(manager, EndUserRegistered, tenantId, { userId: user.id });
    }
    await manager.getRepository(OAuthIdentity).insert({ tenantId, userId: user.id, provider, subject: identity.subject, email });
    await emit(manager, EndUserIdentityLinked, tenantId, { userId: user.id, provider });
    return user;
  }
}

/** The documented failure answer: the frontend's URL with `?error=oauth_failed&error_description=…`. */
function failureUrl(redirectUri: string, description: string): string {
  const url = new URL(redirectUri);
  url.hash = '';
  url.searchParams.set('error', 'oauth_failed');
  url.searchParams.set('error_description', description);
  return url.toString();
}
