import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';
import { ORG_ROLES } from '../../../src/federation/organization-access';

const invitation = { invitationId: z.guid(), organizationId: z.guid() };

export const InvitationCreated = defineEvent('invitation.created', z.object({ ...invitation, email: z.string(), role: z.enum(ORG_ROLES) }));
export const InvitationResent = defineEvent('invitation.resent', z.object(invitation));
export const InvitationAccepted = defineEvent('invitation.accepted', z.object({ ...invitation, userId: z.guid() }));
export const InvitationRejected = defineEvent('invitation.rejected', z.object(invitation));
export const InvitationCancelled = defineEvent('invitation.cancelled', z.object(invitation));

export const INVITATION_EVENTS = [InvitationCreated, InvitationResent, InvitationAccepted, InvitationRejected, InvitationCancelled];
