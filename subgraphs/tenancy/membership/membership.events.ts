import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';
import { ORG_ROLES } from '../../../src/federation/organization-access';

const member = { organizationId: z.guid(), userId: z.guid() };
const role = z.enum(ORG_ROLES);

export const MemberAdded = defineEvent('member.added', z.object({ ...member, role, via: z.enum(['creation', 'invitation']) }));
export const MemberRoleChanged = defineEvent('member.role_changed', z.object({ ...member, previousRole: role, role }));
export const MemberRemoved = defineEvent('member.removed', z.object(member));
export const MemberDeactivated = defineEvent('member.deactivated', z.object(member));
/** The organization an end user works in by default changed. */
export const MemberDefaultOrganizationSet = defineEvent('member.default_organization_set', z.object(member));

export const MEMBERSHIP_EVENTS = [MemberAdded, MemberRoleChanged, MemberRemoved, MemberDeactivated, MemberDefaultOrganizationSet];
