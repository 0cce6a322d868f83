import type http from 'node:http';
import passport from 'passport';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { adminCookieToken, adminTokenDigest, isAdminToken } from '../src/auth/admin-session';
import { apiKeyType, hashApiKey } from '../src/auth/api-key-format';
import { looksLikeJwt, unverifiedSessionId, verifyUserToken, type UserTokenClaims } from '../src/auth/jwt';
import { DomainError } from '../src/errors';
import { isUuid } from '../src/validation';
import { originAllowed } from '../src/http/origin';
import type { Identity } from '../src/identity';
import type { CredentialStore, ResolvedCredentials } from './credentials';

/** The request as edge auth sees it (HTTP or a graphql-ws connection). */
export interface AuthRequest {
  headers: http.IncomingHttpHeaders;
  ip: string;
  requestId: string;
}

type KeyVerifier = (apiKey: string, done: (error: Error | null, user?: { apiKey: string } | false) => void) => void;

const acceptPlatformKeys: KeyVerifier = (apiKey, done) => done(null, apiKeyType(apiKey) ? { apiKey } : false);

/**
 * passport reads the API key: `X-API-Key`, or `Authorization: Bearer sk_live_/pk_live_...`.
 * A Bearer JWT is the end user's access token and is verified here too.
 */
/** Names the workspace a tenant admin's session acts in (`000_…`: "workspace context"). */
const WORKSPACE_HEADER = 'x-workspace-id';
const WORKSPACE_NOT_FOUND = () => new DomainError('NOT_FOUND', 'Workspace not found');

export class EdgeAuthenticator {
  private readonly passport = new passport.Passport();

  constructor(
    private readonly credentials: CredentialStore,
    private readonly jwtSecret: string,
  ) {
    this.passport.use('x-api-key', new HeaderAPIKeyStrategy({ header: 'X-API-Key', prefix: '' }, false, acceptPlatformKeys));
    this.passport.use('bearer-api-key', new HeaderAPIKeyStrategy({ header: 'Authorization', prefix: 'Bearer ' }, false, acceptPlatformKeys));
  }

  private extractApiKey(headers: http.IncomingHttpHeaders): Promise<string | undefined> {
    const req = { headers } as unknown as http.IncomingMessage;
    return new Promise((resolve, reject) => {
      const middleware = this.passport.authenticate(['x-api-key', 'bearer-api-key'], { session: false }, (error: unknown, user: { apiKey: string } | false) => {
        if (error) reject(error);
        else resolve(user ? user.apiKey : undefined);
      });
      middleware(req, {} as http.ServerResponse, (error?: unknown) => (error ? reject(error) : resolve(undefined)));
    });
  }

  async authenticate(request: AuthRequest): Promise<Identity> {
    const { headers } = request;
    const identity: Identity = { requestId: request.requestId, ip: request.ip };
    const rawXKey = first(headers['x-api-key']);
    if (rawXKey !== undefined && !apiKeyType(rawXKey.trim())) throw new DomainError('INVALID_API_KEY');
    const bearer = /^Bearer\s+(.+)$/i.exec(first(headers.authorization) ?? '')?.[1]?.trim();
    if (headers.authorization !== undefined && !bearer) throw new DomainError('INVALID_TOKEN', 'Malformed Authorization header');
    const workspaceId = first(headers[WORKSPACE_HEADER])?.trim();
    if (bearer && isAdminToken(bearer)) return this.applyAdmin(identity, bearer, rawXKey, true, workspaceId);
    const cookieToken = bearer || rawXKey !== undefined ? undefined : adminCookieToken(first(headers.cookie));
    if (cookieToken) return this.applyAdmin(identity, cookieToken, rawXKey, false, workspaceId);

    const userToken = bearer && !apiKeyType(bearer) ? bearer : undefined;
    const key = await this.extractApiKey(headers).then(
      (apiKey) => ({ apiKey }),
      (error: unknown) => ({ error }),
    );
    // The lookup starts before the token's signature is checked (CPU work, done meanwhile); its
    // answer is used only once the claims are verified and name that very session.
    const sessionId = userToken && looksLikeJwt(userToken) ? unverifiedSessionId(userToken) : undefined;
    const apiKey = 'apiKey' in key ? key.apiKey : undefined;
    const lookup = apiKey || sessionId ? this.credentials.resolve(apiKey ? hashApiKey(apiKey) : undefined, sessionId) : undefined;
    lookup?.catch(() => undefined); // awaited below unless a refusal comes first

    let claims: UserTokenClaims | undefined;
    if (userToken) {
      claims = looksLikeJwt(userToken) ? await verifyUserToken(userToken, this.jwtSecret, 'access') : undefined;
      if (!claims) throw new DomainError('INVALID_TOKEN', 'Invalid or expired access token');
    }
    if ('error' in key) throw key.error;
    if (!apiKey && !claims) return identity; // anonymous: subgraphs decide what it may do

    // Verified claims come from the same token the session id was read from: the lookup is theirs.
    const resolved = await lookup!;
    if (apiKey) this.applyKey(identity, resolved, first(headers.origin));
    if (claims) this.applyUser(identity, resolved, claims);
    // A key or user token has its workspace; naming another one reaches nothing.
    if (workspaceId !== undefined && workspaceId !== identity.tenantId) throw WORKSPACE_NOT_FOUND();
    return identity;
  }

  /**
   * A tenant admin's dashboard session (Bearer `adm_…` or the `admin_session` cookie): a caller of
   * its own kind, with no key. A stale cookie counts as no credential (the browser may still send
   * it to login); a stale Bearer token is refused. With `X-Workspace-ID` naming a live workspace the
   * admin belongs to, it acts in that workspace with every key scope (`*`), as its dashboard does;
   * any other workspace id → 404, so ids of others' workspaces reveal nothing.
   */
  private async applyAdmin(identity: Identity, token: string, apiKey: string | undefined, bearer: boolean, workspaceId: string | undefined): Promise<Identity> {
    if (apiKey !== undefined) throw new DomainError('INVALID_TOKEN', 'An admin session cannot be combined with an API key');
    if (workspaceId !== undefined && !isUuid(workspaceId)) throw WORKSPACE_NOT_FOUND();
    const session = isAdminToken(token) ? await this.credentials.resolveAdminSession(adminTokenDigest(token), workspaceId) : undefined;
    if (!session) {
      if (bearer) throw new DomainError('INVALID_TOKEN', 'Admin session has ended; please sign in again');
      return identity;
    }
    identity.adminId = session.adminId;
    identity.adminSessionId = session.sessionId;
    if (workspaceId !== undefined) {
      if (!session.workspaceRole) throw WORKSPACE_NOT_FOUND();
      identity.tenantId = workspaceId;
      identity.scopes = ['*'];
      identity.rateLimitTier = session.workspaceTier;
    }
    return identity;
  }

  private applyKey(identity: Identity, resolved: ResolvedCredentials, origin: string | undefined): void {
    const key = resolved.key;
    if (!key) throw new DomainError('INVALID_API_KEY');
    if (key.type === 'public' && !originAllowed(key.allowedOrigins, origin)) {
      throw new DomainError('ORIGIN_NOT_ALLOWED', origin ? `Origin ${origin} is not allowed for this API key` : 'This public key requires an allowed Origin header');
    }
    identity.tenantId = key.tenantId;
    identity.apiKeyId = key.id;
    identity.keyType = key.type;
    identity.scopes = key.scopes;
    identity.rateLimitTier = key.tier;
  }

  private applyUser(identity: Identity, resolved: ResolvedCredentials, claims: UserTokenClaims): void {
    if (identity.tenantId && identity.tenantId !== claims.tid) throw new DomainError('INVALID_TOKEN', 'Access token belongs to another tenant');
    const session = resolved.session;
    if (!session || session.tenantId !== claims.tid || session.userId !== claims.sub) {
      throw new DomainError('INVALID_TOKEN', 'Session has ended; please sign in again');
    }
    identity.tenantId = claims.tid;
    identity.userId = claims.sub;
    identity.sessionId = claims.sid;
    identity.defaultOrganizationId = session.defaultOrganizationId;
    identity.defaultOrganizationRole = session.defaultOrganizationRole;
    identity.rateLimitTier ??= session.tier; // with a key too, the key's tier
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
