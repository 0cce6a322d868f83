import { defineErrors } from '../../src/errors';

/** The tenancy subgraph's own error codes (the generic ones are the kernel's, src/errors.ts). */
export const TenancyErrors = defineErrors({
  INVALID_CREDENTIALS: { status: 401, message: 'Invalid email or password' },
  EMAIL_NOT_VERIFIED: { status: 403, message: 'Email not verified' },
  ACCOUNT_DISABLED: { status: 403, message: 'Account is disabled' },
  EMAIL_TAKEN: { status: 409, message: 'Email already registered' },
  SLUG_TAKEN: { status: 409, message: 'Slug already in use' },
});
