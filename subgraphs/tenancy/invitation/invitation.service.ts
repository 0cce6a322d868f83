import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderByGroup } from '../../../src/federation/loaders';
import type { OrgRole } from '../../../src/federation/organization-access';
import { normalizeEmail } from '../../../src/validation';
import { EndUser } from '../end-user/end-user.entity';
import type { MailService } from '../mail/mail.service';
import type { MembershipService } from '../membership/membership.service';
import { Membership } from '../membership/membership.entity';
import { Organization } from '../organization/organization.entity';
import { TenancyErrors } from '../tenancy.errors';
import { Invitation } from './invitation.entity';
import { InvitationAccepted, InvitationCancelled, InvitationCreated, InvitationRejected, InvitationResent } from './invitation.events';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** An invitation as its token's holder sees it (public: no token, no inviter's data). */
export interface InvitationView {
  invitation: Invitation;
  organization: Organization;
}

export class InvitationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly memberships: MembershipService,
    private readonly mail: MailService,
    private readonly publicUrl: string,
  ) {}

  private readonly pendingByOrganization = loaderByGroup<Invitation>(
    'pending-invitations-by-organization',
    (tenantId, organizationIds) =>
      this.dataSource
        .getRepository(Invitation)
        .createQueryBuilder('i')
        .where("i.tenant_id = :tenantId AND i.organization_id = ANY(:organizationIds::uuid[]) AND i.status = 'pending' AND i.expires_at > now()", { tenantId, organizationIds })
        .orderBy('i.created_at', 'DESC')
        .getMany(),
    (invitation) => invitation.organizationId,
  );

  /** An organization's pending, unexpired invitations, newest first. */
  pendingOf(context: SubgraphContext, tenantId: string, organizationId: string): Promise<Invitation[]> {
    return load(context, this.pendingByOrganization, tenantId, organizationId);
  }

  async invite(tenantId: string, organizationId: string, email: string, role: OrgRole, invitedByUserId: string | null): Promise<Invitation> {
    const to = normalizeEmail(email);
    return this.dataSource.transaction(async (manager) => {
      const organization = await manager.getRepository(Organization).findOne({ where: { tenantId, id: organizationId } });
      if (!organization) throw new DomainError('NOT_FOUND', 'Organization not found');
      const alreadyMember = await manager
        .getRepository(Membership)
        .createQueryBuilder('m')
        .innerJoin(EndUser, 'u', 'u.id = m.user_id AND u.tenant_id = m.tenant_id')
        .where('m.tenant_id = :tenantId AND m.organization_id = :organizationId AND m.is_active AND lower(u.email) = :to', { tenantId, organizationId, to })
        .getExists();
      if (alreadyMember) throw new DomainError(TenancyErrors.ALREADY_MEMBER);
      const repo = manager.getRepository(Invitation);
      // An expired pending invitation no longer blocks a new one.
      await repo.createQueryBuilder().update().set({ status: 'expired' }).where("tenant_id = :tenantId AND organization_id = :organizationId AND email = :to AND status = 'pending' AND expires_at <= now()", { tenantId, organizationId, to }).execute();
      if (await repo.exists({ where: { tenantId, organizationId, email: to, status: 'pending' } })) throw new DomainError(TenancyErrors.INVITATION_PENDING);
      const token = newToken();
      const invitation = await repo.save(
        repo.create({ tenantId, organizationId, email: to, role, status: 'pending', tokenHash: sha256(token), invitedByUserId, expiresAt: new Date(Date.now() + INVITATION_TTL_MS), respondedAt: null }),
      );
      await emit(manager, InvitationCreated, tenantId, { invitationId: invitation.id, organizationId, email: to, role });
      await this.queueMail(manager, tenantId, invitation, organization, token);
      return invitation;
    });
  }

  /** A new token and expiry (the old link stops working), mailed again. */
  async resend(tenantId: string, organizationId: string, invitationId: string): Promise<Invitation> {
    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.pendingById(manager, tenantId, organizationId, invitationId);
      const organization = await manager.getRepository(Organization).findOneOrFail({ where: { tenantId, id: organizationId } });
      const token = newToken();
      Object.assign(invitation, { tokenHash: sha256(token), expiresAt: new Date(Date.now() + INVITATION_TTL_MS) });
      await manager.getRepository(Invitation).update({ id: invitation.id }, { tokenHash: invitation.tokenHash, expiresAt: invitation.expiresAt });
      await emit(manager, InvitationResent, tenantId, { invitationId, organizationId });
      await this.queueMail(manager, tenantId, invitation, organization, token);
      return invitation;
    });
  }

  async cancel(tenantId: string, organizationId: string, invitationId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const invitation = await this.pendingById(manager, tenantId, organizationId, invitationId);
      await manager.getRepository(Invitation).update({ id: invitation.id }, { status: 'cancelled', respondedAt: new Date() });
      await emit(manager, InvitationCancelled, tenantId, { invitationId, organizationId });
    });
  }

  /** The signed-in user joins with the invited role; the invitation must be addressed to their email. */
  async accept(tenantId: string, userId: string, token: string): Promise<{ invitation: Invitation; membership: Membership }> {
    return this.dataSource.transaction(async (manager) => {
      const invitation = await this.usableByToken(manager, tenantId, token);
      const user = await manager.getRepository(EndUser).findOne({ where: { tenantId, id: userId } });
      if (!user || normalizeEmail(user.email) !== invitation.email) throw new DomainError(TenancyErrors.INVITATION_EMAIL_MISMATCH);
      const membership = await this.memberships.add(manager, tenantId, invitation.organizationId, userId, invitation.role, 'invitation');
      await manager.getRepository(Invitation).update({ id: invitation.id }, { status: 'accepted', respondedAt: new Date() });
      await emit(manager, InvitationAccepted, tenantId, { invitationId: invitation.id, organizationId: invitation.organizationId, userId });
      return { invitation, membership };
    });
  }

  /** Anyone holding the token may decline it (the documented public endpoint). */
  async reject(tenantId: string, token: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const invitation = await this.usableByToken(manager, tenantId, token);
      await manager.getRepository(Invitation).update({ id: invitation.id }, { status: 'rejected', respondedAt: new Date() });
      await emit(manager, InvitationRejected, tenantId, { invitationId: invitation.id, organizationId: invitation.organizationId });
    });
  }

  /** The invitation a token names, whatever its state (its details page shows expired or used ones too). */
  async byToken(tenantId: string, token: string): Promise<InvitationView> {
    const invitation = await this.dataSource.getRepository(Invitation).findOne({ where: { tenantId, tokenHash: sha256(token) } });
    if (!invitation) throw new DomainError('NOT_FOUND', 'Invitation not found');
    return { invitation: withExpiry(invitation), organization: await this.dataSource.getRepository(Organization).findOneOrFail({ where: { tenantId, id: invitation.organizationId } }) };
  }

  /** Pending, unexpired invitations to an email, with their organizations (one query). */
  async pendingFor(tenantId: string, email: string): Promise<InvitationView[]> {
    const rows = await this.dataSource
      .getRepository(Invitation)
      .createQueryBuilder('i')
      .innerJoinAndMapOne('i.organization', Organization, 'o', 'o.id = i.organization_id AND o.tenant_id = i.tenant_id')
      .where("i.tenant_id = :tenantId AND i.email = :email AND i.status = 'pending' AND i.expires_at > now()", { tenantId, email: normalizeEmail(email) })
      .orderBy('i.created_at', 'DESC')
      .getMany();
    return rows.map((row) => ({ invitation: row, organization: (row as Invitation & { organization: Organization }).organization }));
  }

  private async pendingById(manager: EntityManager, tenantId: string, organizationId: string, invitationId: string): Promise<Invitation> {
    const invitation = await manager.getRepository(Invitation).findOne({ where: { tenantId, organizationId, id: invitationId }, lock: { mode: 'pessimistic_write' } });
    if (!invitation) throw new DomainError('NOT_FOUND', 'Invitation not found');
    if (invitation.status !== 'pending') throw new DomainError('CONFLICT', `Invitation is already ${invitation.status}`);
    return invitation;
  }

  /** A pending, unexpired invitation of this tenant, locked: a token works once. */
  private async usableByToken(manager: EntityManager, tenantId: string, token: string): Promise<Invitation> {
    const invitation = await manager.getRepository(Invitation).findOne({ where: { tenantId, tokenHash: sha256(token) }, lock: { mode: 'pessimistic_write' } });
    if (!invitation) throw new DomainError(TenancyErrors.INVITATION_INVALID, 'Invalid invitation token');
    if (invitation.status !== 'pending') throw new DomainError(TenancyErrors.INVITATION_INVALID, `Invitation was already ${invitation.status}`);
    if (invitation.expiresAt <= new Date()) throw new DomainError(TenancyErrors.INVITATION_INVALID, 'Invitation has expired');
    return invitation;
  }

  private async queueMail(manager: EntityManager, tenantId: string, invitation: Invitation, organization: Organization, token: string): Promise<void> {
    const link = new URL(`${this.publicUrl}/accept-invitation`);
    link.searchParams.set('token', token);
    await this.mail.queue(manager, tenantId, {
      kind: 'organization_invitation',
      to: invitation.email,
      subject: `You are invited to join ${organization.name}`,
      text: `You have been invited to join ${organization.name} as ${invitation.role}. Open this link to accept (valid until ${invitation.expiresAt.toISOString()}):\n${link.toString()}\n\nToken: ${token}\n`,
    });
  }
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A pending invitation past its expiry reads as expired. */
function withExpiry(invitation: Invitation): Invitation {
  return invitation.status === 'pending' && invitation.expiresAt <= new Date() ? Object.assign(invitation, { status: 'expired' }) : invitation;
}
