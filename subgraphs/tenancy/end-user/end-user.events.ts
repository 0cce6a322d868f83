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

export const END_USER_EVENTS = [EndUserRegistered, EndUserLoggedIn, EndUserEmailVerified, EndUserPasswordReset, EndUserPasswordChanged, EndUserSessionRevoked];
