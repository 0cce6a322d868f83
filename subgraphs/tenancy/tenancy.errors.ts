import { defineErrors } from '../../src/errors';

/** The tenancy subgraph's own error codes (the generic ones are the kernel's, src/errors.ts). */
export const TenancyErrors = defineErrors({
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid email or password' },
  EMAIL_NOT_VERIFIED: { status: 403, message: 'Email not verified' },
  ACCOUNT_DISABLED: { status: 403, message: 'Account is disabled' },
  EMAIL_TAKEN: { status: 409, message: 'Email already registered' },
  SUB_TAKEN: { status: 409, message: 'A user with this sub already exists' },
  SLUG_TAKEN: { status: 409, message: 'Slug already in use' },
  // Sign-in providers (oauth/)
  PROVIDER_NOT_ENABLED: { status: 400, message: 'This sign-in provider is not enabled for this tenant' },
  INVALID_OAUTH_STATE: { status: 400, message: 'Invalid or tampered OAuth state' },
  // Tenant admins (admin/): the tool builder's auth endpoints
  ADMIN_SETUP_DONE: { status: 409, message: 'Setup already completed: an admin exists' },
  INVALID_ADMIN_CREDENTIALS: { status: 401, message: 'Invalid username or password' },
  INVALID_PENDING_TOKEN: { status: 401, message: 'Invalid or expired 2FA token; sign in again' },
  INVALID_TWO_FACTOR_CODE: { status: 401, message: 'Invalid authentication code' },
  INCORRECT_CODE: { status: 400, message: 'Invalid authentication code' },
  INCORRECT_PASSWORD: { status: 400, message: 'Current password is incorrect' },
  TWO_FACTOR_ALREADY_ENABLED: { status: 400, message: 'Two-factor authentication is already enabled' },
  TWO_FACTOR_NOT_ENABLED: { status: 400, message: 'Two-factor authentication is not enabled' },
  TWO_FACTOR_SETUP_NOT_STARTED: { status: 400, message: 'Start two-factor setup first' },
  USERNAME_TAKEN: { status: 409, message: 'Username already in use' },
  LAST_OWNER: { status: 409, message: 'An organization must keep at least one owner' },
  ALREADY_MEMBER: { status: 409, message: 'This user is already a member of the organization' },
  INVITATION_PENDING: { status: 409, message: 'An invitation to this email is already pending; resend it instead' },
  INVITATION_INVALID: { status: 400, message: 'Invalid or expired invitation' },
  CANNOT_RETRY: { status: 400, message: 'Delivery already succeeded or is still being delivered' },
  INVITATION_EMAIL_MISMATCH: { status: 403, message: 'This invitation was sent to another email address' },
});
