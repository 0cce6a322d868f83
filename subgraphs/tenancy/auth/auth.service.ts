import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { signUserToken, verifyUserToken } from '../../../src/auth/jwt';
import { hashPassword, verifyPassword } from '../../../src/auth/passwords';
import type { Config } from '../../../src/config';
import { DomainError, validationError } from '../../../src/errors';
import { TenancyErrors } from '../tenancy.errors';
import { emit } from '../../../src/events/outbox';
import type { Identity } from '../../../src/identity';
import { enforceRateLimit } from '../../../src/rate-limit';
import { normalizeEmail } from '../../../src/validation';
import { EndUser } from '../end-user/end-user.entity';
import {
  EndUserEmailVerified,
  EndUserLoggedIn,
  EndUserPasswordChanged,
  EndUserPasswordReset,
  EndUserRegistered,
  EndUserSessionRevoked,
} from '../end-user/end-user.events';
import type { MailService } from '../mail/mail.service';
import { Tenant } from '../tenant/tenant.entity';
import { scaledRule, type AuthRateLimitName } from './auth.rate-limits';
import { RefreshToken, Session } from './session.entity';
import { UserToken, type UserTokenPurpose } from './user-token.entity';

export interface RegisterInput {
  email: string;
  password: string;
  displayName?: string | null;
  locale?: string | null;
  returnTo?: string | null;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: EndUser;
}

export type RegistrationOutcome = { verificationRequired: false; tokens: IssuedTokens } | { verificationRequired: true; message: string };

/** No valid password is longer (see passwordPolicyProblem). */
const MAX_PASSWORD_LENGTH = 128;

const TOKEN_TTL: Record<UserTokenPurpose, number> = { verify_email: 24 * 3600, reset_password: 3600 };

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}


/** Every end-user authentication flow of the BaaS API. */
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly config: Config,
  ) {}

  private limit(name: AuthRateLimitName, subject: string): Promise<void> {
    return enforceRateLimit(this.dataSource, `auth:${name}:${subject}`, scaledRule(name, this.config.authRateLimitFactor));
  }

  private perIp(identity: Identity, tenantId?: string): string {
    return `${tenantId ?? '-'}:${identity.ip}`;
  }

  async register(identity: Identity, tenantId: string, input: RegisterInput): Promise<RegistrationOutcome> {
    await this.limit('register', this.perIp(identity, tenantId));
    const tenant = await this.dataSource.getRepository(Tenant).findOneByOrFail({ id: tenantId });
    const passwordHash = await hashPassword(input.password);
    const email = normalizeEmail(input.email);
    const result = await this.dataSource
      .transaction(async (manager) => {
        const user = manager.getRepository(EndUser).create({
          tenantId,
          email,
          passwordHash,
          displayName: input.displayName?.trim() || null,
          locale: input.locale || 'en',
          isActive: true,
          emailVerifiedAt: null,
          avatarUrl: null,
        });
        await manager.getRepository(EndUser).insert(user);
        await emit(manager, EndUserRegistered, tenantId, { userId: user.id });
        if (tenant.requireEmailVerification) {
          const token = await this.createUserToken(manager, user, 'verify_email');
          await this.queueVerificationMail(manager, tenantId, email, token, input.returnTo);
          return { verificationRequired: true as const, message: 'Registration successful. Please check your email to verify your account.' };
        }
        return { verificationRequired: false as const, tokens: await this.startSession(manager, user) };
      })
      .catch((error) => {
        if (uniqueViolation(error) !== undefined) throw new DomainError(TenancyErrors.EMAIL_TAKEN);
        throw error;
      });
    return result;
  }

  async login(identity: Identity, tenantId: string, email: string, password: string): Promise<IssuedTokens> {
    await this.limit('login', this.perIp(identity, tenantId));
    if (password.length > MAX_PASSWORD_LENGTH) throw new DomainError(TenancyErrors.INVALID_CREDENTIALS); // never hash megabytes
    const user = await this.userWithHash(tenantId, normalizeEmail(email));
    // Verify against a dummy hash for unknown emails so timing does not reveal which exist.
    const valid = await verifyPassword(user?.passwordHash ?? (await this.getDummyHash()), password);
    if (!user || !valid) throw new DomainError(TenancyErrors.INVALID_CREDENTIALS);
    if (!user.isActive) throw new DomainError(TenancyErrors.ACCOUNT_DISABLED);
    const tenant = await this.dataSource.getRepository(Tenant).findOneByOrFail({ id: tenantId });
    if (tenant.requireEmailVerification && !user.emailVerifiedAt) {
      throw new DomainError(TenancyErrors.EMAIL_NOT_VERIFIED, 'Email not verified. Please check your email for the verification link.');
    }
    return this.dataSource.transaction(async (manager) => {
      await emit(manager, EndUserLoggedIn, tenantId, { userId: user.id });
      return this.startSession(manager, user);
    });
  }

  /** Exchanges a refresh token for new tokens; a reused token revokes its whole session. */
  async refresh(tenantId: string, refreshToken: string): Promise<IssuedTokens> {
    const claims = refreshToken ? await verifyUserToken(refreshToken, this.config.jwtSecret, 'refresh') : undefined;
    if (!claims || claims.tid !== tenantId) throw new DomainError('INVALID_TOKEN', 'Invalid or expired refresh token');
    const outcome = await this.dataSource.transaction(async (manager) => {
      const session = await manager
        .getRepository(Session)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id AND s.tenant_id = :tenantId', { id: claims.sid, tenantId })
        .getOne();
      const row = await manager.getRepository(RefreshToken).findOneBy({ id: claims.jti, sessionId: claims.sid });
      if (!session || session.revokedAt || !row || row.tokenHash !== sha256(refreshToken) || row.expiresAt < new Date()) {
        return { error: 'invalid' as const };
      }
      if (row.usedAt) {
        await manager.getRepository(Session).update({ id: session.id }, { revokedAt: () => 'now()', revokedReason: 'refresh_token_reuse' });
        await emit(manager, EndUserSessionRevoked, tenantId, { sessionId: session.id, userId: session.userId, reason: 'refresh_token_reuse' });
        return { error: 'reused' as const };
      }
      await manager.getRepository(RefreshToken).update({ id: row.id }, { usedAt: () => 'now()' });
      const user = await manager.getRepository(EndUser).findOneBy({ id: session.userId, tenantId });
      if (!user || !user.isActive) return { error: 'invalid' as const };
      return { tokens: await this.issueTokens(manager, user, session.id) };
    });
    if ('error' in outcome) {
      throw new DomainError('INVALID_TOKEN', outcome.error === 'reused' ? 'Refresh token already used; the session has been revoked' : 'Invalid or expired refresh token');
    }
    return outcome.tokens;
  }

  async logout(tenantId: string, sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    await this.dataSource.getRepository(Session).update({ id: sessionId, tenantId, revokedAt: IsNull() }, { revokedAt: () => 'now()', revokedReason: 'logout' });
  }

  async forgotPassword(identity: Identity, tenantId: string, email: string): Promise<void> {
    await this.limit('forgotPassword', this.perIp(identity, tenantId));
    const user = await this.dataSource.getRepository(EndUser).findOneBy({ tenantId, email: normalizeEmail(email) });
    if (!user || !user.isActive) return; // same answer either way
    await this.dataSource.transaction(async (manager) => {
      const token = await this.createUserToken(manager, user, 'reset_password');
      await this.mail.queue(manager, tenantId, {
        to: user.email,
        kind: 'reset_password',
        subject: 'Reset your password',
        text: `Use this link to choose a new password (valid for 1 hour):\n${this.config.publicUrl}/reset-password?token=${token}\n\nToken: ${token}\n`,
      });
    });
  }

  async resetPassword(tenantId: string, token: string, newPassword: string): Promise<void> {
    const passwordHash = await hashPassword(newPassword);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.consumeUserToken(manager, token, 'reset_password', tenantId);
      await manager.getRepository(EndUser).update({ id: row.userId, tenantId }, { passwordHash });
      await this.revokeSessions(manager, tenantId, row.userId, 'password_reset');
      await emit(manager, EndUserPasswordReset, tenantId, { userId: row.userId });
    });
  }

  async changePassword(tenantId: string, userId: string, sessionId: string | undefined, current: string, next: string): Promise<void> {
    await this.limit('changePassword', `${tenantId}:${userId}`);
    const user = await this.dataSource
      .getRepository(EndUser)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :userId AND u.tenant_id = :tenantId', { userId, tenantId })
      .getOne();
    if (!user) throw new DomainError('UNAUTHENTICATED');
    if (!(await verifyPassword(user.passwordHash, current ?? ''))) {
      throw validationError([{ field: 'currentPassword', message: 'is incorrect' }]);
    }
    const passwordHash = await hashPassword(next);
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(EndUser).update({ id: userId, tenantId }, { passwordHash });
      await this.revokeSessions(manager, tenantId, userId, 'password_changed', sessionId);
      await emit(manager, EndUserPasswordChanged, tenantId, { userId });
    });
  }

  /** With an API key the token must belong to that tenant; without one, the token names it. */
  async verifyEmail(identity: Identity, tenantId: string | undefined, token: string): Promise<void> {
    if (!tenantId) await this.limit('verifyEmailWithToken', `-:${identity.ip}`);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.consumeUserToken(manager, token, 'verify_email', tenantId);
      await manager.getRepository(EndUser).update({ id: row.userId, tenantId: row.tenantId, emailVerifiedAt: IsNull() }, { emailVerifiedAt: () => 'now()' });
      await emit(manager, EndUserEmailVerified, row.tenantId, { userId: row.userId });
    });
  }

  async resendVerification(identity: Identity, tenantId: string, email: string, returnTo?: string | null): Promise<void> {
    await this.limit('resendVerification', this.perIp(identity, tenantId));
    const user = await this.dataSource.getRepository(EndUser).findOneBy({ tenantId, email: normalizeEmail(email) });
    if (!user || user.emailVerifiedAt) return; // same answer either way
    await this.dataSource.transaction(async (manager) => {
      const token = await this.createUserToken(manager, user, 'verify_email');
      await this.queueVerificationMail(manager, tenantId, user.email, token, returnTo);
    });
  }

  private async queueVerificationMail(tx: EntityManager, tenantId: string, email: string, token: string, returnTo?: string | null): Promise<void> {
    const link = new URL(returnTo || `${this.config.publicUrl}/verify-email`);
    link.searchParams.set('token', token);
    await this.mail.queue(tx, tenantId, {
      to: email,
      kind: 'verify_email',
      subject: 'Verify your email address',
      text: `Confirm your email address by opening this link (valid for 24 hours):\n${link.toString()}\n\nToken: ${token}\n`,
    });
  }

  private async createUserToken(manager: EntityManager, user: EndUser, purpose: UserTokenPurpose): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    // A new token replaces any earlier unused one of the same purpose.
    await manager.getRepository(UserToken).update({ userId: user.id, purpose, usedAt: IsNull() }, { usedAt: () => 'now()' });
    await manager.getRepository(UserToken).insert({
      tenantId: user.tenantId,
      userId: user.id,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + TOKEN_TTL[purpose] * 1000),
    });
    return token;
  }

  private async consumeUserToken(manager: EntityManager, token: string, purpose: UserTokenPurpose, tenantId?: string): Promise<UserToken> {
    if (!token || typeof token !== 'string') throw validationError([{ field: 'token', message: 'is required' }]);
    const row = await manager
      .getRepository(UserToken)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.token_hash = :hash AND t.purpose = :purpose', { hash: sha256(token), purpose })
      .getOne();
    if (!row || row.usedAt || row.expiresAt < new Date() || (tenantId && row.tenantId !== tenantId)) {
      throw new DomainError('BAD_REQUEST', 'Invalid or expired token');
    }
    await manager.getRepository(UserToken).update({ id: row.id }, { usedAt: () => 'now()' });
    return row;
  }

  private async revokeSessions(manager: EntityManager, tenantId: string, userId: string, reason: string, keepSessionId?: string): Promise<void> {
    const query = manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('tenant_id = :tenantId AND user_id = :userId AND revoked_at IS NULL', { tenantId, userId });
    if (keepSessionId) query.andWhere('id <> :keep', { keep: keepSessionId });
    await query.execute();
  }

  /** Starts a session for a user already authenticated by the caller (password, or a sign-in provider), inside its transaction. */
  async startSession(manager: EntityManager, user: EndUser): Promise<IssuedTokens> {
    const session = manager.getRepository(Session).create({ tenantId: user.tenantId, userId: user.id });
    await manager.getRepository(Session).insert(session);
    return this.issueTokens(manager, user, session.id);
  }

  private async issueTokens(manager: EntityManager, user: EndUser, sessionId: string): Promise<IssuedTokens> {
    const { jwtSecret, accessTokenTtlSeconds, refreshTokenTtlSeconds } = this.config;
    const base = { sub: user.id, tid: user.tenantId, sid: sessionId };
    const jti = randomUUID();
    const accessToken = await signUserToken({ ...base, typ: 'access' }, jwtSecret, accessTokenTtlSeconds);
    const refreshToken = await signUserToken({ ...base, typ: 'refresh', jti }, jwtSecret, refreshTokenTtlSeconds);
    await manager.getRepository(RefreshToken).insert({
      id: jti,
      tenantId: user.tenantId,
      sessionId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + refreshTokenTtlSeconds * 1000),
    });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: accessTokenTtlSeconds, user };
  }

  private userWithHash(tenantId: string, email: string): Promise<EndUser | null> {
    return this.dataSource
      .getRepository(EndUser)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      // A deleted user signs in as an unknown one would (a deactivated one learns why: ACCOUNT_DISABLED).
      .where('u.tenant_id = :tenantId AND u.email = :email AND u.deleted_at IS NULL', { tenantId, email })
      .getOne();
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    return this.dummyHash;
  }
}
