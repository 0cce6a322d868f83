import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

const admin = z.object({ adminId: z.guid() });

/** Admin events carry no tenant (admins are installation-wide), except memberships of a workspace. */
export const AdminCreated = defineEvent('admin.created', z.object({ adminId: z.guid(), isOperator: z.boolean() }));
export const AdminLoggedIn = defineEvent('admin.logged_in', z.object({ adminId: z.guid(), twoFactor: z.enum(['none', 'totp', 'recovery_code']) }));
export const AdminUpdated = defineEvent('admin.updated', z.object({ adminId: z.guid(), usernameChanged: z.boolean(), passwordChanged: z.boolean() }));
export const AdminTwoFactorEnabled = defineEvent('admin.two_factor_enabled', admin);
export const AdminTwoFactorDisabled = defineEvent('admin.two_factor_disabled', admin);
export const AdminRecoveryCodesRegenerated = defineEvent('admin.recovery_codes_regenerated', admin);
export const AdminRecoveryCodeUsed = defineEvent('admin.recovery_code_used', z.object({ adminId: z.guid(), remaining: z.number().int().min(0) }));

export const ADMIN_EVENTS = [
  AdminCreated,
  AdminLoggedIn,
  AdminUpdated,
  AdminTwoFactorEnabled,
  AdminTwoFactorDisabled,
  AdminRecoveryCodesRegenerated,
  AdminRecoveryCodeUsed,
];

/** Membership events belong to the workspace (the event's tenant). */
export const AdminInvited = defineEvent('admin.invited', z.object({ invitationId: z.guid(), workspaceId: z.guid(), role: z.enum(['owner', 'admin']), invitedBy: z.guid() }));
export const AdminInvitationAccepted = defineEvent(
  'admin.invitation_accepted',
  z.object({ invitationId: z.guid(), workspaceId: z.guid(), adminId: z.guid(), role: z.enum(['owner', 'admin']) }),
);
export const ADMIN_INVITATION_EVENTS = [AdminInvited, AdminInvitationAccepted];
