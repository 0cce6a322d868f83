import { createHash, randomBytes } from 'node:crypto';
import { IsNull, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import { isUuid, normalizeEmail } from '../../../src/validation';
import type { MailService } from '../mail/mail.service';
import { TenancyErrors } from '../tenancy.errors';
import { Tenant } from '../tenant/tenant.entity';
import { Admin, AdminWorkspace, type WorkspaceRole } from './admin.entity';
import { AdminInvitation, type WorkspaceAdmin } from './admin-invitation.entity';
import { AdminInvitationAccepted, AdminInvited } from './admin.events';
import type { AdminLogin, AdminService } from './admin.service';

const INVITATION_TTL_DAYS = 7;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Admins invite further admins into their workspaces: an emailed single-use token, accepted by
 * an admin who is signed in (one more workspace) or by someone new, who picks a username and
 * password (a new admin account). Only owners invite owners.
 */
export class AdminInvitationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admins: AdminService,
    private readonly mail: MailService,
    private readonly publicUrl: string,
  ) {}

  async invite(adminId: string, workspaceId: string, email: string, role: WorkspaceRole): Promise<AdminInvitation> {
    return this.dataSource.transaction(async (manager) => {
      const inviter = await this.membership(manager, adminId, workspaceId);
      const workspace = inviter ? await manager.getRepository(Tenant).findOneBy({ id: workspaceId }) : null;
      if (!inviter || !workspace) throw new DomainError('NOT_FOUND', 'Workspace not found');
      if (role === 'owner' && inviter.role !== 'owner') throw new DomainError('FORBIDDEN', 'Only an owner may invite another owner');
      const address = normalizeEmail(email);
      // A new invitation replaces a pending one for the same address: the old link stops working.
      await manager.getRepository(AdminInvitation).delete({ workspaceId, email: address, acceptedAt: IsNull() });
      const token = randomBytes(32).toString('base64url');
      const invitation = await manager.getRepository(AdminInvitation).save(
        manager.getRepository(AdminInvitation).create({
          workspaceId,
          email: address,
          role,
          tokenHash: digest(token),
          invitedBy: adminId,
          expiresAt: new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000),
        }),
      );
      const link = new URL(`${this.publicUrl}/admin/accept-invitation`);
      link.searchParams.set('token', token);
      await this.mail.queue(manager, workspaceId, {
        kind: 'admin_invitation',
        to: address,
        subject: `You are invited to administer ${workspace.name}`,
        text: `You have been invited to administer the workspace ${workspace.name} as ${role}. Open this link to accept (valid until ${invitation.expiresAt.toISOString()}):\n${link}\n\nToken: ${token}\n`,
      });
      await emit(manager, AdminInvited, workspaceId, { invitationId: invitation.id, workspaceId, role, invitedBy: adminId });
      return invitation;
    });
  }

  /** The signed-in admin joins the invitation's workspace; answers that workspace. */
  async acceptAsAdmin(adminId: string, token: string): Promise<Tenant> {
    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.consume(manager, token);
      await this.join(manager, invitation, adminId);
      return manager.getRepository(Tenant).findOneByOrFail({ id: invitation.workspaceId });
    });
  }

  /** Someone new accepts: a new admin account (never the operator), a member at once, signed in. */
  async acceptAsNewAdmin(token: string, username: string, password: string): Promise<AdminLogin> {
    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.consume(manager, token);
      const admin = await this.admins.create(manager, username, password);
      await this.join(manager, invitation, admin.id);
      return this.admins.openSession(manager, admin);
    });
  }

  /** The admins of a workspace the caller belongs to. */
  async members(adminId: string, workspaceId: string): Promise<WorkspaceAdmin[]> {
    if (!(await this.membership(this.dataSource.manager, adminId, workspaceId))) throw new DomainError('NOT_FOUND', 'Workspace not found');
    const rows = await this.dataSource
      .getRepository(AdminWorkspace)
      .createQueryBuilder('m')
      .innerJoin(Admin, 'a', 'a.id = m.admin_id')
      .select(['m.admin_id AS "adminId"', 'a.username AS username', 'm.role AS role', 'm.created_at AS "createdAt"'])
      .where('m.tenant_id = :workspaceId', { workspaceId })
      .orderBy('m.created_at')
      .getRawMany<WorkspaceAdmin>();
    return rows;
  }

  private async membership(manager: EntityManager, adminId: string, workspaceId: string): Promise<AdminWorkspace | null> {
    if (!isUuid(workspaceId)) return null;
    const membership = await manager.getRepository(AdminWorkspace).findOneBy({ adminId, tenantId: workspaceId });
    return membership && (await manager.getRepository(Tenant).existsBy({ id: workspaceId })) ? membership : null;
  }

  /** The pending invitation of `token`, marked accepted (locked: two accepts cannot both win). */
  private async consume(manager: EntityManager, token: string): Promise<AdminInvitation> {
    const invitation = await manager.getRepository(AdminInvitation).findOne({
      where: { tokenHash: digest(token), acceptedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!invitation || !(await manager.getRepository(Tenant).existsBy({ id: invitation.workspaceId }))) throw new DomainError(TenancyErrors.INVITATION_INVALID);
    await manager.getRepository(AdminInvitation).update({ id: invitation.id }, { acceptedAt: new Date() });
    return invitation;
  }

  /** Membership with the invitation's role; an existing member keeps the higher of both roles. */
  private async join(manager: EntityManager, invitation: AdminInvitation, adminId: string): Promise<void> {
    const current = await manager.getRepository(AdminWorkspace).findOneBy({ adminId, tenantId: invitation.workspaceId });
    const role: WorkspaceRole = current?.role === 'owner' || invitation.role === 'owner' ? 'owner' : 'admin';
    await manager.getRepository(AdminWorkspace).upsert({ adminId, tenantId: invitation.workspaceId, role }, ['adminId', 'tenantId']);
    await emit(manager, AdminInvitationAccepted, invitation.workspaceId, { invitationId: invitation.id, workspaceId: invitation.workspaceId, adminId, role });
  }
}
