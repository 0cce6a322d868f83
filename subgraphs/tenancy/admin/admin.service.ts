import { createHmac, randomBytes } from 'node:crypto';
import { uniqueViolation } from '../../../src/db/unique-violation';
import jwt from 'jsonwebtoken';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { ADMIN_SESSION_TTL_SECONDS, ADMIN_TOKEN_PREFIX, adminTokenDigest } from '../../../src/auth/admin-session';
import { hashPassword, verifyPassword } from '../../../src/auth/passwords';
import type { Config } from '../../../src/config';
import { DomainError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { Identity } from '../../../src/identity';
import { enforceRateLimit } from '../../../src/rate-limit';
import { scaledRule, type AuthRateLimitName } from '../auth/auth.rate-limits';
import { TenancyErrors } from '../tenancy.errors';
import { Admin, AdminRecoveryCode, AdminSession } from './admin.entity';
import {
  AdminCreated,
  AdminLoggedIn,
  AdminRecoveryCodesRegenerated,
  AdminRecoveryCodeUsed,
  AdminTwoFactorDisabled,
  AdminTwoFactorEnabled,
  AdminUpdated,
} from './admin.events';
import { digestsEqual, newRecoveryCodes, newTotpSecret, recoveryCodeDigest, SecretBox, totpEnrolment, totpStep } from './two-factor';

const PENDING_TTL_SECONDS = 300;
const PENDING_AUDIENCE = 'admin-2fa-pending';

export type AdminLogin =
  | { twoFactorRequired: true; pendingToken: string; admin: Admin }
  | { twoFactorRequired: false; accessToken: string; expiresIn: number; admin: Admin };

export interface UpdateAdminFields {
  currentPassword: string;
  username?: string | null;
  newPassword?: string | null;
}


/** Tenant admins: first setup, login with optional TOTP, sessions, the account and its 2FA. */
export class AdminService {
  private readonly box: SecretBox;
  /** Its own key: a pending token is no end-user JWT and vice versa. */
  private readonly pendingKey: Buffer;
  private dummyHash?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: Config,
  ) {
    this.box = new SecretBox(config.jwtSecret);
    this.pendingKey = createHmac('sha256', config.jwtSecret).update(PENDING_AUDIENCE).digest();
  }

  private limit(name: AuthRateLimitName, subject: string): Promise<void> {
    return enforceRateLimit(this.dataSource, `admin:${name}:${subject}`, scaledRule(name, this.config.authRateLimitFactor));
  }

  async setupRequired(): Promise<boolean> {
    return !(await this.dataSource.getRepository(Admin).exists());
  }

  /** The installation's first admin (its operator), only while no admin exists; signed in at once. */
  async setup(identity: Identity, username: string, password: string): Promise<AdminLogin> {
    await this.limit('adminLogin', identity.ip);
    if (!(await this.setupRequired())) throw new DomainError(TenancyErrors.ADMIN_SETUP_DONE);
    const passwordHash = await hashPassword(password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        // Serialises concurrent setups: the second sees the first admin once the lock is free.
        await manager.query(`LOCK TABLE tenancy.admins IN SHARE ROW EXCLUSIVE MODE`);
        if (await manager.getRepository(Admin).exists()) throw new DomainError(TenancyErrors.ADMIN_SETUP_DONE);
        const admin = await this.insertAdmin(manager, username, passwordHash, true);
        return this.openSession(manager, admin);
      });
    } catch (error) {
      if (uniqueViolation(error) === 'admins_single_operator') throw new DomainError(TenancyErrors.ADMIN_SETUP_DONE);
      throw error;
    }
  }

  /** A further admin (invited into a workspace, or made by tooling): never the operator. */
  async create(manager: EntityManager, username: string, password: string): Promise<Admin> {
    return this.insertAdmin(manager, username, await hashPassword(password), false);
  }

  private async insertAdmin(manager: EntityManager, username: string, passwordHash: string, isOperator: boolean): Promise<Admin> {
    await this.assertUsernameFree(manager, username);
    const admin = await manager.getRepository(Admin).save(manager.getRepository(Admin).create({ username, passwordHash, isOperator, totpEnabled: false }));
    await emit(manager, AdminCreated, null, { adminId: admin.id, isOperator });
    return admin;
  }

  private async assertUsernameFree(manager: EntityManager, username: string, exceptId?: string): Promise<void> {
    const clash = await manager.getRepository(Admin).createQueryBuilder('a').where('lower(a.username) = lower(:username)', { username }).getOne();
    if (clash && clash.id !== exceptId) throw new DomainError(TenancyErrors.USERNAME_TAKEN);
  }

  async login(identity: Identity, username: string, password: string): Promise<AdminLogin> {
    await this.limit('adminLogin', identity.ip);
    const admin = await this.dataSource.getRepository(Admin).createQueryBuilder('a').where('lower(a.username) = lower(:username)', { username }).getOne();
    // Hash even for an unknown username, so timing does not tell which usernames exist.
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const valid = await verifyPassword(admin?.passwordHash ?? (await this.dummyHash), password);
    if (!admin || !valid) throw new DomainError(TenancyErrors.INVALID_ADMIN_CREDENTIALS);
    if (admin.totpEnabled) return { twoFactorRequired: true, pendingToken: this.pendingToken(admin.id), admin };
    return this.dataSource.transaction(async (manager) => {
      await emit(manager, AdminLoggedIn, null, { adminId: admin.id, twoFactor: 'none' });
      return this.openSession(manager, admin);
    });
  }

  /** The second login step: a TOTP (once per time step) or an unused recovery code. */
  async verifyLogin(identity: Identity, pendingToken: string, code: string, isRecovery: boolean): Promise<AdminLogin> {
    await this.limit('adminLogin', identity.ip);
    const adminId = this.pendingAdminId(pendingToken);
    await this.limit('adminTwoFactor', adminId);
    return this.dataSource.transaction(async (manager) => {
      const admin = await this.lockedAdmin(manager, adminId);
      if (!admin?.totpEnabled) throw new DomainError(TenancyErrors.INVALID_PENDING_TOKEN);
      if (isRecovery) {
        const remaining = await this.useRecoveryCode(manager, admin.id, code);
        if (remaining === undefined) throw new DomainError(TenancyErrors.INVALID_TWO_FACTOR_CODE, 'Invalid or already used recovery code');
        await emit(manager, AdminRecoveryCodeUsed, null, { adminId: admin.id, remaining });
      } else if (!(await this.acceptTotp(manager, admin, code))) {
        throw new DomainError(TenancyErrors.INVALID_TWO_FACTOR_CODE);
      }
      await emit(manager, AdminLoggedIn, null, { adminId: admin.id, twoFactor: isRecovery ? 'recovery_code' : 'totp' });
      return this.openSession(manager, admin);
    });
  }

  async logout(sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    await this.dataSource.getRepository(AdminSession).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async byId(adminId: string): Promise<Admin> {
    const admin = await this.dataSource.getRepository(Admin).findOneBy({ id: adminId });
    if (!admin) throw new DomainError('UNAUTHENTICATED', 'Admin account no longer exists');
    return admin;
  }

  /** Username and/or password, proven by the current password; a new password ends the other sessions. */
  async update(adminId: string, sessionId: string | undefined, fields: UpdateAdminFields): Promise<Admin> {
    await this.limit('changePassword', `admin:${adminId}`);
    const admin = await this.byId(adminId);
    if (!(await verifyPassword(admin.passwordHash, fields.currentPassword))) throw new DomainError(TenancyErrors.INCORRECT_PASSWORD);
    const passwordHash = fields.newPassword ? await hashPassword(fields.newPassword) : undefined;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const previous = admin.username;
        const username = fields.username?.trim();
        if (username && username !== admin.username) await this.assertUsernameFree(manager, username, admin.id);
        if (username) admin.username = username;
        if (passwordHash) {
          admin.passwordHash = passwordHash;
          await manager
            .createQueryBuilder()
            .update(AdminSession)
            .set({ revokedAt: () => 'now()' })
            .where('admin_id = :adminId AND revoked_at IS NULL AND id IS DISTINCT FROM :sessionId', { adminId, sessionId: sessionId ?? null })
            .execute();
        }
        const saved = await manager.getRepository(Admin).save(admin);
        const usernameChanged = admin.username !== previous;
        if (usernameChanged || passwordHash) await emit(manager, AdminUpdated, null, { adminId, usernameChanged, passwordChanged: !!passwordHash });
        return saved;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'admins_username_key') throw new DomainError(TenancyErrors.USERNAME_TAKEN);
      throw error;
    }
  }

  /** A new secret (pending until verify-setup) and fresh recovery codes; refused while 2FA is on. */
  async beginTwoFactorSetup(adminId: string): Promise<{ secret: string; otpauthUrl: string; qrCode: string; recoveryCodes: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const admin = await this.lockedAdmin(manager, adminId);
      if (!admin) throw new DomainError('UNAUTHENTICATED');
      if (admin.totpEnabled) throw new DomainError(TenancyErrors.TWO_FACTOR_ALREADY_ENABLED);
      const secret = newTotpSecret();
      await manager.getRepository(Admin).update({ id: adminId }, { totpSecret: this.box.seal(secret), totpLastStep: null });
      const recoveryCodes = await this.replaceRecoveryCodes(manager, adminId);
      return { secret, ...(await totpEnrolment(admin.username, secret)), recoveryCodes };
    });
  }

  async confirmTwoFactorSetup(adminId: string, code: string): Promise<void> {
    await this.limit('adminTwoFactor', adminId);
    await this.dataSource.transaction(async (manager) => {
      const admin = await this.lockedAdmin(manager, adminId);
      if (!admin) throw new DomainError('UNAUTHENTICATED');
      if (admin.totpEnabled) throw new DomainError(TenancyErrors.TWO_FACTOR_ALREADY_ENABLED);
      if (!admin.totpSecret) throw new DomainError(TenancyErrors.TWO_FACTOR_SETUP_NOT_STARTED);
      if (!(await this.acceptTotp(manager, admin, code))) throw new DomainError(TenancyErrors.INCORRECT_CODE);
      await manager.getRepository(Admin).update({ id: adminId }, { totpEnabled: true });
      await emit(manager, AdminTwoFactorEnabled, null, { adminId });
    });
  }

  async disableTwoFactor(adminId: string, password: string, code: string): Promise<void> {
    await this.limit('adminTwoFactor', adminId);
    const admin = await this.byId(adminId);
    if (!admin.totpEnabled) throw new DomainError(TenancyErrors.TWO_FACTOR_NOT_ENABLED);
    if (!(await verifyPassword(admin.passwordHash, password))) throw new DomainError(TenancyErrors.INCORRECT_PASSWORD);
    await this.dataSource.transaction(async (manager) => {
      const locked = await this.lockedAdmin(manager, adminId);
      if (!locked?.totpEnabled) throw new DomainError(TenancyErrors.TWO_FACTOR_NOT_ENABLED);
      if (!(await this.acceptTotp(manager, locked, code))) throw new DomainError(TenancyErrors.INCORRECT_CODE);
      await manager.getRepository(Admin).update({ id: adminId }, { totpEnabled: false, totpSecret: null, totpLastStep: null });
      await manager.getRepository(AdminRecoveryCode).delete({ adminId });
      await emit(manager, AdminTwoFactorDisabled, null, { adminId });
    });
  }

  async regenerateRecoveryCodes(adminId: string): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const admin = await this.lockedAdmin(manager, adminId);
      if (!admin?.totpEnabled) throw new DomainError(TenancyErrors.TWO_FACTOR_NOT_ENABLED);
      const codes = await this.replaceRecoveryCodes(manager, adminId);
      await emit(manager, AdminRecoveryCodesRegenerated, null, { adminId });
      return codes;
    });
  }

  async twoFactorStatus(adminId: string): Promise<{ enabled: boolean; recoveryCodesRemaining: number }> {
    const admin = await this.byId(adminId);
    const remaining = admin.totpEnabled ? await this.dataSource.getRepository(AdminRecoveryCode).countBy({ adminId, usedAt: IsNull() }) : 0;
    return { enabled: admin.totpEnabled, recoveryCodesRemaining: remaining };
  }

  private lockedAdmin(manager: EntityManager, adminId: string): Promise<Admin | null> {
    return manager.getRepository(Admin).findOne({ where: { id: adminId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Accepts a TOTP for a time step after the last one accepted, and records that step. */
  private async acceptTotp(manager: EntityManager, admin: Admin, code: string): Promise<boolean> {
    if (!admin.totpSecret) return false;
    const step = totpStep(this.box.open(admin.totpSecret), code);
    if (step === undefined || (admin.totpLastStep !== null && step <= Number(admin.totpLastStep))) return false;
    await manager.getRepository(Admin).update({ id: admin.id }, { totpLastStep: String(step) });
    return true;
  }

  /** Marks the matching unused code used; the number left, or undefined when none matched. */
  private async useRecoveryCode(manager: EntityManager, adminId: string, code: string): Promise<number | undefined> {
    const digest = recoveryCodeDigest(code);
    const unused = await manager.getRepository(AdminRecoveryCode).findBy({ adminId, usedAt: IsNull() });
    const match = unused.find((c) => digestsEqual(c.codeHash, digest));
    if (!match) return undefined;
    await manager.getRepository(AdminRecoveryCode).update({ id: match.id }, { usedAt: new Date() });
    return unused.length - 1;
  }

  private async replaceRecoveryCodes(manager: EntityManager, adminId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    const repo = manager.getRepository(AdminRecoveryCode);
    await repo.delete({ adminId });
    await repo.insert(codes.map((code) => ({ adminId, codeHash: recoveryCodeDigest(code) })));
    return codes;
  }

  /** A new session for `admin`, in the caller's transaction. */
  async openSession(manager: EntityManager, admin: Admin): Promise<AdminLogin> {
    const accessToken = ADMIN_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await manager.getRepository(AdminSession).insert({
      adminId: admin.id,
      tokenHash: adminTokenDigest(accessToken),
      expiresAt: new Date(Date.now() + ADMIN_SESSION_TTL_SECONDS * 1000),
    });
    return { twoFactorRequired: false, accessToken, expiresIn: ADMIN_SESSION_TTL_SECONDS, admin };
  }

  private pendingToken(adminId: string): string {
    return jwt.sign({}, this.pendingKey, { algorithm: 'HS256', subject: adminId, audience: PENDING_AUDIENCE, expiresIn: PENDING_TTL_SECONDS });
  }

  private pendingAdminId(token: string): string {
    try {
      const payload = jwt.verify(token, this.pendingKey, { algorithms: ['HS256'], audience: PENDING_AUDIENCE });
      if (typeof payload === 'object' && typeof payload.sub === 'string') return payload.sub;
    } catch {
      // malformed, forged or expired: the same answer
    }
    throw new DomainError(TenancyErrors.INVALID_PENDING_TOKEN);
  }
}
