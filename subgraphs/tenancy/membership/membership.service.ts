import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderByGroup } from '../../../src/federation/loaders';
import { OrgPermissions, roleGrants, type OrgRole } from '../../../src/federation/organization-access';
import { TenancyErrors } from '../tenancy.errors';
import { Membership } from './membership.entity';
import { MemberAdded, MemberDeactivated, MemberDefaultOrganizationSet, MemberRemoved, MemberRoleChanged } from './membership.events';

/** Who changes a membership: the tenant's server (a key with organizations:write) or a member with their role. */
export type Actor = { kind: 'server' } | { kind: 'member'; userId: string; role: OrgRole };

export class MembershipService {
  constructor(private readonly dataSource: DataSource) {}

  private readonly byUser = loaderByGroup<Membership>(
    'memberships-by-user',
    (tenantId, userIds) =>
      this.dataSource
        .getRepository(Membership)
        .createQueryBuilder('m')
        .where('m.tenant_id = :tenantId AND m.user_id = ANY(:userIds::uuid[])', { tenantId, userIds })
        .orderBy('m.joined_at', 'ASC')
        .addOrderBy('m.id', 'ASC')
        .getMany(),
    (membership) => membership.userId,
  );

  private readonly byOrganization = loaderByGroup<Membership>(
    'memberships-by-organization',
    (tenantId, organizationIds) =>
      this.dataSource
        .getRepository(Membership)
        .createQueryBuilder('m')
        .where('m.tenant_id = :tenantId AND m.organization_id = ANY(:organizationIds::uuid[])', { tenantId, organizationIds })
        .orderBy('m.joined_at', 'ASC')
        .addOrderBy('m.id', 'ASC')
        .getMany(),
    (membership) => membership.organizationId,
  );

  /** Every membership of a user (active or not), through one loader per request. */
  ofUser(context: SubgraphContext, tenantId: string, userId: string): Promise<Membership[]> {
    return load(context, this.byUser, tenantId, userId);
  }

  ofOrganization(context: SubgraphContext, tenantId: string, organizationId: string): Promise<Membership[]> {
    return load(context, this.byOrganization, tenantId, organizationId);
  }

  /** The user's role in the organization while their membership is active (the policies' data). */
  async roleOf(context: SubgraphContext, tenantId: string, userId: string, organizationId: string): Promise<OrgRole | null> {
    const membership = (await this.ofUser(context, tenantId, userId)).find((m) => m.organizationId === organizationId && m.isActive);
    return membership?.role ?? null;
  }

  /** Adds (or reactivates) a member in the caller's transaction; the user's first organization becomes their default. */
  async add(manager: EntityManager, tenantId: string, organizationId: string, userId: string, role: OrgRole, via: 'creation' | 'invitation'): Promise<Membership> {
    const repo = manager.getRepository(Membership);
    const existing = await repo.findOne({ where: { tenantId, organizationId, userId } });
    if (existing?.isActive) throw new DomainError(TenancyErrors.ALREADY_MEMBER);
    // One default organization per user: joins of one user run one at a time past this point, so
    // two at once cannot both find no default and both claim it.
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`membership-default:${tenantId}:${userId}`]);
    const hasDefault = await repo.exists({ where: { tenantId, userId, isDefault: true } });
    const membership = existing
      ? await repo.save(Object.assign(existing, { role, isActive: true, joinedAt: new Date() }))
      : await repo.save(repo.create({ tenantId, organizationId, userId, role, isActive: true, isDefault: !hasDefault }));
    await emit(manager, MemberAdded, tenantId, { organizationId, userId, role, via });
    return membership;
  }

  async changeRole(tenantId: string, organizationId: string, userId: string, role: OrgRole, actor: Actor): Promise<Membership> {
    return this.dataSource.transaction(async (manager) => {
      const { member, actor: current } = await this.lockedMember(manager, tenantId, organizationId, userId, actor);
      if (member.role === role) return member;
      this.checkOwnerChange(current, member.role, role);
      if (member.role === 'owner') await this.keepAnOwner(manager, tenantId, organizationId, userId);
      const previousRole = member.role;
      member.role = role;
      await manager.getRepository(Membership).update({ id: member.id }, { role });
      await emit(manager, MemberRoleChanged, tenantId, { organizationId, userId, previousRole, role });
      return member;
    });
  }

  async remove(tenantId: string, organizationId: string, userId: string, actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { member, actor: current } = await this.lockedMember(manager, tenantId, organizationId, userId, actor);
      this.checkOwnerChange(current, member.role, member.role);
      if (member.role === 'owner') await this.keepAnOwner(manager, tenantId, organizationId, userId);
      await manager.getRepository(Membership).delete({ id: member.id });
      await emit(manager, MemberRemoved, tenantId, { organizationId, userId });
    });
  }

  async deactivate(tenantId: string, organizationId: string, userId: string, actor: Actor): Promise<Membership> {
    return this.dataSource.transaction(async (manager) => {
      const { member, actor: current } = await this.lockedMember(manager, tenantId, organizationId, userId, actor);
      if (!member.isActive) return member;
      this.checkOwnerChange(current, member.role, member.role);
      if (member.role === 'owner') await this.keepAnOwner(manager, tenantId, organizationId, userId);
      member.isActive = false;
      member.isDefault = false;
      await manager.getRepository(Membership).update({ id: member.id }, { isActive: false, isDefault: false });
      await emit(manager, MemberDeactivated, tenantId, { organizationId, userId });
      return member;
    });
  }

  /** Makes the organization the user's default (they must be an active member: the resolver's policy checks it). */
  async setDefault(tenantId: string, organizationId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Membership);
      const member = await repo.findOne({ where: { tenantId, organizationId, userId, isActive: true } });
      if (!member) throw new DomainError('NOT_FOUND', 'Organization not found');
      await repo.update({ tenantId, userId, isDefault: true }, { isDefault: false });
      await repo.update({ id: member.id }, { isDefault: true });
      await emit(manager, MemberDefaultOrganizationSet, tenantId, { organizationId, userId });
    });
  }

  /**
   * Locks the organization (owner counts stay true under concurrent changes), then finds the
   * member and the acting member's role as they are now: a role changed meanwhile counts.
   */
  private async lockedMember(manager: EntityManager, tenantId: string, organizationId: string, userId: string, actor: Actor): Promise<{ member: Membership; actor: Actor }> {
    await manager.query('SELECT id FROM tenancy.organizations WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, organizationId]);
    const repo = manager.getRepository(Membership);
    const member = await repo.findOne({ where: { tenantId, organizationId, userId } });
    if (!member) throw new DomainError('NOT_FOUND', 'Member not found');
    if (actor.kind === 'server') return { member, actor };
    const acting = await repo.findOne({ where: { tenantId, organizationId, userId: actor.userId, isActive: true } });
    if (!acting || !roleGrants(acting.role, OrgPermissions.MEMBERS_MANAGE)) throw new DomainError('FORBIDDEN', 'Your role no longer allows managing members');
    return { member, actor: { ...actor, role: acting.role } };
  }

  /** Only an owner (or the tenant's server) may touch an owner or make one. */
  private checkOwnerChange(actor: Actor, currentRole: OrgRole, newRole: OrgRole): void {
    if (actor.kind === 'member' && actor.role !== 'owner' && (currentRole === 'owner' || newRole === 'owner')) {
      throw new DomainError('FORBIDDEN', 'Only an owner can change, remove or appoint an owner');
    }
  }

  /** The last active owner can be neither demoted, removed nor deactivated. */
  private async keepAnOwner(manager: EntityManager, tenantId: string, organizationId: string, leavingUserId: string): Promise<void> {
    const others = await manager
      .getRepository(Membership)
      .createQueryBuilder('m')
      .where("m.tenant_id = :tenantId AND m.organization_id = :organizationId AND m.role = 'owner' AND m.is_active AND m.user_id <> :leavingUserId", { tenantId, organizationId, leavingUserId })
      .getCount();
    if (others === 0) throw new DomainError(TenancyErrors.LAST_OWNER, 'An organization must keep at least one owner: appoint another owner first');
  }
}
