import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

const user = z.object({ userId: z.guid() });

/** A new end user signed up (billing meters it). */
export const EndUserRegistered = defineEvent('end_user.registered', user);
export const EndUserLoggedIn = defineEvent('end_user.logged_in', user);
export const EndUserEmailVerified = defineEvent('end_user.email_verified', user);
export const EndUserPasswordReset = defineEvent('end_user.password_reset', user);
export const EndUserPasswordChanged = defineEvent('end_user.password_changed', user);
/** A session ended by the platform itself (a refresh token was used twice). */
export const EndUserSessionRevoked = defineEvent(
  'end_user.session_revoked',
  z.object({ sessionId: z.guid(), userId: z.guid(), reason: z.enum(['refresh_token_reuse']) }),
);


// Changes of a user by the tenant or by the user themself (001_… section `users`); webhooks carry them.
/** A user created by the tenant's server (self sign-up is `end_user.registered`). */
export const UserCreated = defineEvent('user.created', z.object({ userId: z.guid(), sub: z.string() }));
/** Profile fields changed (names as in GraphQL). */
export const UserUpdated = defineEvent('user.updated', z.object({ userId: z.guid(), fields: z.array(z.string()).min(1) }));
export const UserSettingsUpdated = defineEvent('user.settings_updated', z.object({ userId: z.guid(), fields: z.array(z.string()).min(1) }));
/** The user can no longer sign in; their sessions ended. */
export const UserDeactivated = defineEvent('user.deactivated', user);
export const UserActivated = defineEvent('user.activated', user);
/** Soft deletion: the user reads as not found from now on. */
export const UserDeleted = defineEvent('user.deleted', user);

export const END_USER_EVENTS = [
  EndUserRegistered,
  EndUserLoggedIn,
  EndUserEmailVerified,
  EndUserPasswordReset,
  EndUserPasswordChanged,
  EndUserSessionRevoked,
  UserCreated,
  UserUpdated,
  UserSettingsUpdated,
  UserDeactivated,
  UserActivated,
  UserDeleted,
];
