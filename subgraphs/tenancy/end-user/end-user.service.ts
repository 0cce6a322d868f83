import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { DomainError, validationError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import type { Page } from '../../../src/federation/list-args';
import { load, loaderById, type LoaderDefinition } from '../../../src/federation/loaders';
import { isUuid, normalizeEmail } from '../../../src/validation';
import { Session } from '../auth/session.entity';
import { Membership } from '../membership/membership.entity';
import { TenancyErrors } from '../tenancy.errors';
import { mergeSettings, type EndUserSettingsInput } from './end-user-settings';
import { EndUser } from './end-user.entity';
import { EndUserRegistered, UserActivated, UserCreated, UserDeactivated, UserDeleted, UserSettingsUpdated, UserUpdated } from './end-user.events';
import type { CreateEndUserInput, EndUserPageArgs, UpdateEndUserInput } from './end-user.inputs';

export interface EndUserStats {
  totalUsers: number;
  activeUsers: number;
  inactiveUsers: number;
}

const NOT_FOUND = () => new DomainError('NOT_FOUND', 'User not found');


/** The tenant's end users: reads, and the changes the tenant or the user themself make (001_… section `users`). */
export class EndUserService {
  constructor(private readonly dataSource: DataSource) {}

  byIds(tenantId: string, ids: readonly string[]): Promise<EndUser[]> {
    return this.dataSource
      .getRepository(EndUser)
      .createQueryBuilder('u')
      .where('u.tenant_id = :tenantId AND u.id = ANY(:ids::uuid[])', { tenantId, ids: ids.filter(isUuid) })
      .getMany();
  }

  list(tenantId: string, first: number, offset: number): Promise<EndUser[]> {
    return this.dataSource.getRepository(EndUser).find({ where: { tenantId, deletedAt: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' }, take: first, skip: offset });
  }

  /** One page of the tenant's users (oldest first) and how many there are; deleted users never, deactivated ones when asked. */
  async page(tenantId: string, { page, perPage, includeInactive }: EndUserPageArgs): Promise<Page<EndUser>> {
    const [items, total] = await this.dataSource.getRepository(EndUser).findAndCount({
      where: { tenantId, deletedAt: IsNull(), ...(includeInactive ? {} : { isActive: true }) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: perPage,
      skip: (page - 1) * perPage,
    });
    return { items, total };
  }

  async stats(tenantId: string): Promise<EndUserStats> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE is_active))::int AS active
         FROM tenancy.end_users WHERE tenant_id = $1 AND deleted_at IS NULL`,
      [tenantId],
    );
    return { totalUsers: row.total, activeUsers: row.active, inactiveUsers: row.total - row.active };
  }

  private readonly usersById = loaderById<EndUser>('end-user-by-id', (tenantId, ids) => this.byIds(tenantId, ids));

  /** Batched per request and keyed by (tenant, id): no N+1 from lists or entity references. Deleted users included (history). */
  load(context: SubgraphContext, tenantId: string, id: string): Promise<EndUser | null> {
    return load(context, this.usersById, tenantId, id);
  }

  /** A user as the users endpoints see them: a deleted one is not found. */
  async loadLive(context: SubgraphContext, tenantId: string, id: string): Promise<EndUser | null> {
    const user = await this.load(context, tenantId, id);
    return user && !user.deletedAt ? user : null;
  }

  private readonly defaultOrganizations: LoaderDefinition<string | null> = {
    name: 'default-organization-by-user',
    batch: async (tenantId, userIds) => {
      const rows = await this.dataSource
        .getRepository(Membership)
        .createQueryBuilder('m')
        .select(['m.userId', 'm.organizationId'])
        .where('m.tenant_id = :tenantId AND m.user_id = ANY(:ids::uuid[]) AND m.is_default AND m.is_active', { tenantId, ids: userIds.filter(isUuid) })
        .getMany();
      const byUser = new Map(rows.map((m) => [m.userId, m.organizationId]));
      return userIds.map((id) => byUser.get(id) ?? null);
    },
  };

  /** The organization the user works in by default (batched: one query for a whole page of users). */
  defaultOrganizationId(context: SubgraphContext, tenantId: string, userId: string): Promise<string | null> {
    return load(context, this.defaultOrganizations, tenantId, userId);
  }

  async create(tenantId: string, input: CreateEndUserInput): Promise<EndUser> {
    if (input.tenantId && input.tenantId !== tenantId) throw validationError([{ field: 'tenantId', message: "must be the API key's tenant" }]);
    return this.dataSource
      .transaction(async (manager) => {
        const user = manager.getRepository(EndUser).create({
          tenantId,
          subject: input.sub,
          email: normalizeEmail(input.email),
          passwordHash: null,
          displayName: input.displayName?.trim() || null,
          avatarUrl: input.avatarUrl || null,
          locale: input.locale || 'en',
          isActive: input.isActive ?? true,
          status: input.status || 'pending',
          emailVerifiedAt: input.isEmailVerified ? new Date() : null,
          storedSettings: {},
          deletedAt: null,
        });
        await manager.getRepository(EndUser).insert(user);
        await emit(manager, UserCreated, tenantId, { userId: user.id, sub: input.sub });
        // Billing meters every end user of the tenant, however they came.
        await emit(manager, EndUserRegistered, tenantId, { userId: user.id });
        return manager.getRepository(EndUser).findOneByOrFail({ id: user.id, tenantId });
      })
      .catch((error) => {
        const constraint = uniqueViolation(error);
        if (constraint === 'end_users_tenant_email_key') throw new DomainError(TenancyErrors.EMAIL_TAKEN);
        if (constraint === 'end_users_tenant_sub_idx') throw new DomainError(TenancyErrors.SUB_TAKEN);
        throw error;
      });
  }

  async update(tenantId: string, id: string, input: UpdateEndUserInput): Promise<EndUser> {
    return this.change(tenantId, id, async (manager, user) => {
      const changes: Partial<EndUser> = {};
      if (input.displayName !== undefined) changes.displayName = input.displayName?.trim() || null;
      if (input.avatarUrl !== undefined) changes.avatarUrl = input.avatarUrl || null;
      if (input.locale) changes.locale = input.locale;
      const fields = (Object.keys(changes) as Array<keyof EndUser>).filter((key) => changes[key] !== user[key]);
      if (fields.length === 0) return;
      await manager.getRepository(EndUser).update({ id, tenantId }, changes);
      await emit(manager, UserUpdated, tenantId, { userId: id, fields });
    });
  }

  async updateSettings(tenantId: string, id: string, input: EndUserSettingsInput): Promise<EndUser> {
    return this.change(tenantId, id, async (manager, user) => {
      const fields = Object.entries(input).filter(([, value]) => value !== undefined && value !== null).map(([key]) => key);
      if (fields.length === 0) return;
      await manager.getRepository(EndUser).update({ id, tenantId }, { storedSettings: mergeSettings(user.storedSettings, input) });
      await emit(manager, UserSettingsUpdated, tenantId, { userId: id, fields });
    });
  }

  /** Deactivation ends the user's sessions (their tokens stop working at once); activation lets them sign in again. */
  async setActive(tenantId: string, id: string, active: boolean): Promise<EndUser> {
    return this.change(tenantId, id, async (manager, user) => {
      if (user.isActive === active) return; // already so: nothing changes, no event
      await manager.getRepository(EndUser).update({ id, tenantId }, { isActive: active });
      if (active) await emit(manager, UserActivated, tenantId, { userId: id });
      else {
        await this.endSessions(manager, tenantId, id, 'user_deactivated');
        await emit(manager, UserDeactivated, tenantId, { userId: id });
      }
    });
  }

  /** Soft deletion: the row stays (its email and sub stay taken), the user reads as not found and cannot sign in. */
  async delete(tenantId: string, id: string): Promise<void> {
    await this.change(tenantId, id, async (manager) => {
      await manager.getRepository(EndUser).update({ id, tenantId }, { isActive: false, deletedAt: () => 'now()' });
      await this.endSessions(manager, tenantId, id, 'user_deleted');
      await emit(manager, UserDeleted, tenantId, { userId: id });
    });
  }

  /**
   * Runs `apply` on the locked, live user in one transaction (the write and its event commit
   * together) and answers the user as it is then. Another tenant's or a deleted user → 404.
   */
  private async change(tenantId: string, id: string, apply: (manager: EntityManager, user: EndUser) => Promise<void>): Promise<EndUser> {
    if (!isUuid(id)) throw NOT_FOUND();
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(EndUser);
      const user = await repository
        .createQueryBuilder('u')
        .setLock('pessimistic_write')
        .where('u.id = :id AND u.tenant_id = :tenantId AND u.deleted_at IS NULL', { id, tenantId })
        .getOne();
      if (!user) throw NOT_FOUND();
      await apply(manager, user);
      return repository.findOneByOrFail({ id, tenantId });
    });
  }

  private endSessions(manager: EntityManager, tenantId: string, userId: string, reason: string): Promise<unknown> {
    return manager.getRepository(Session).update({ tenantId, userId, revokedAt: IsNull() }, { revokedAt: () => 'now()', revokedReason: reason });
  }
}
