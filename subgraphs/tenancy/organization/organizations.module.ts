import type { DataSource } from 'typeorm';
import type { Config } from '../../../src/config';
import { organizationPolicies } from '../../../src/federation/organization-access';
import { tenantReference } from '../../../src/federation/reference';
import { Department } from '../department/department.entity';
import { DEPARTMENT_EVENTS } from '../department/department.events';
import { createDepartmentResolver } from '../department/department.resolver';
import { DepartmentService } from '../department/department.service';
import type { EndUserService } from '../end-user/end-user.service';
import { Invitation } from '../invitation/invitation.entity';
import { INVITATION_EVENTS } from '../invitation/invitation.events';
import { createInvitationResolver, createOrganizationInvitationsResolver } from '../invitation/invitation.resolver';
import { InvitationService } from '../invitation/invitation.service';
import type { MailService } from '../mail/mail.service';
import { Membership } from '../membership/membership.entity';
import { MEMBERSHIP_EVENTS } from '../membership/membership.events';
import { createMembershipResolver } from '../membership/membership.resolver';
import { MembershipService } from '../membership/membership.service';
import { Organization } from './organization.entity';
import { ORGANIZATION_EVENTS } from './organization.events';
import { createOrganizationResolver } from './organization.resolver';
import { OrganizationService } from './organization.service';

/** Organizations, members, invitations and departments, wired into the tenancy subgraph in one place. */
export const ORGANIZATION_ENTITIES = [Organization, Membership, Invitation, Department];
export const ORGANIZATION_MODULE_EVENTS = [...ORGANIZATION_EVENTS, ...MEMBERSHIP_EVENTS, ...INVITATION_EVENTS, ...DEPARTMENT_EVENTS];

export function createOrganizationsModule(dataSource: DataSource, config: Config, mail: MailService, users: EndUserService) {
  const memberships = new MembershipService(dataSource);
  const departments = new DepartmentService(dataSource);
  const organizations = new OrganizationService(dataSource, memberships, departments);
  const invitations = new InvitationService(dataSource, memberships, mail, config.publicUrl);
  return {
    resolvers: [
      createOrganizationResolver(organizations, memberships, departments),
      createMembershipResolver(memberships, organizations, users),
      createInvitationResolver(invitations, memberships, organizations),
      createOrganizationInvitationsResolver(invitations),
      createDepartmentResolver(departments, memberships, organizations),
    ],
    /** Other subgraphs' `Organization` references; the type's ORG_READ policy is decided on top (members, or a key). */
    referenceResolvers: { Organization: tenantReference((context, tenantId, id) => organizations.load(context, tenantId, id)) },
    /** The tenancy subgraph's decision on organization permissions: the caller's role, one loader per request. */
    policies: organizationPolicies((context, tenantId, userId, organizationId) => memberships.roleOf(context, tenantId, userId, organizationId)),
  };
}
