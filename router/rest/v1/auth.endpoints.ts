import type { RestEndpoint } from '../profile';
import { V1_TOKENS_FRAGMENTS, V1_USER_FRAGMENT } from './types.graphql';

const tags = ['Authentication'];
const message = (mutation: string, args: string, input: string): string =>
  `mutation${args ? `(${args})` : ''} { result: ${mutation}${input ? `(${input})` : ''} { message } }`;

/** `/v1/auth/*` of the BaaS API (001_… section "authentication"), as declarations. */
export const AUTH_ENDPOINTS: RestEndpoint[] = [
  {
    name: 'auth_register',
    method: 'POST',
    path: '/auth/register',
    status: 201,
    tags,
    summary: 'Register a new user (3 per hour per IP). Tokens, or verification_required when the tenant requires email verification.',
    args: 'email: String!, password: String!, display_name: String, locale: String, return_to: String',
    returns: 'RegisterResponse',
    operation: `mutation Register($email: String!, $password: String!, $display_name: String, $locale: String, $return_to: String) {
      result: register(input: { email: $email, password: $password, displayName: $display_name, locale: $locale, returnTo: $return_to }) {
        verification_required: verificationRequired
        message
        tokens { ...V1Tokens }
      }
    }
    ${V1_TOKENS_FRAGMENTS}`,
    transform: (r) => (r.verification_required ? { message: r.message, verification_required: true } : r.tokens),
    omitNullFields: true,
  },
  {
    name: 'auth_login',
    method: 'POST',
    path: '/auth/login',
    tags,
    summary: 'Login with email and password (10 per 15 minutes per IP)',
    args: 'email: String!, password: String!',
    returns: 'TokenResponse',
    operation: `mutation Login($email: String!, $password: String!) {
      result: login(input: { email: $email, password: $password }) { ...V1Tokens }
    } ${V1_TOKENS_FRAGMENTS}`,
  },
  {
    name: 'auth_refresh',
    method: 'POST',
    path: '/auth/refresh',
    tags,
    summary: 'Exchange a refresh token for new tokens (the refresh token rotates)',
    args: 'refresh_token: String!',
    returns: 'TokenResponse',
    operation: `mutation Refresh($refresh_token: String!) { result: refreshToken(refreshToken: $refresh_token) { ...V1Tokens } } ${V1_TOKENS_FRAGMENTS}`,
  },
  {
    name: 'auth_me',
    method: 'GET',
    path: '/auth/me',
    tags,
    summary: 'Get current authenticated user info',
    returns: 'User',
    operation: `query Me { result: me { ...V1User } } ${V1_USER_FRAGMENT}`,
  },
  {
    name: 'auth_logout',
    method: 'POST',
    path: '/auth/logout',
    tags,
    summary: 'Logout: ends the session, its refresh tokens stop working',
    returns: 'MessageResponse',
    operation: message('logout', '', ''),
  },
  {
    name: 'auth_forgot_password',
    method: 'POST',
    path: '/auth/forgot-password',
    tags,
    summary: 'Request a password reset email (3 per hour per IP); always succeeds',
    args: 'email: String!',
    returns: 'MessageResponse',
    operation: message('forgotPassword', '$email: String!', 'email: $email'),
  },
  {
    name: 'auth_reset_password',
    method: 'POST',
    path: '/auth/reset-password',
    tags,
    summary: 'Reset password using the token from the email',
    args: 'token: String!, new_password: String!',
    returns: 'MessageResponse',
    operation: message('resetPassword', '$token: String!, $new_password: String!', 'token: $token, newPassword: $new_password'),
  },
  {
    name: 'auth_change_password',
    method: 'POST',
    path: '/auth/change-password',
    tags,
    summary: 'Change password for the authenticated user (5 per hour per user)',
    args: 'current_password: String!, new_password: String!',
    returns: 'MessageResponse',
    operation: message(
      'changePassword',
      '$current_password: String!, $new_password: String!',
      'currentPassword: $current_password, newPassword: $new_password',
    ),
  },
  {
    name: 'auth_verify_email',
    method: 'POST',
    path: '/auth/verify-email',
    tags,
    summary: 'Verify end-user email with token (requires API key)',
    args: 'token: String!',
    returns: 'MessageResponse',
    operation: message('verifyEmail', '$token: String!', 'token: $token'),
  },
  {
    name: 'auth_verify_email_with_token',
    method: 'POST',
    path: '/auth/verify-email-with-token',
    tags,
    summary: 'Verify end-user email with the token only, no API key (20 per hour per IP)',
    args: 'token: String!',
    returns: 'MessageResponse',
    operation: message('verifyEmailWithToken', '$token: String!', 'token: $token'),
  },
  {
    name: 'auth_resend_verification',
    method: 'POST',
    path: '/auth/resend-verification',
    tags,
    summary: 'Resend the verification email (3 per hour per IP); always succeeds',
    args: 'email: String!, return_to: String',
    returns: 'MessageResponse',
    operation: message('resendVerification', '$email: String!, $return_to: String', 'email: $email, returnTo: $return_to'),
  },
  {
    name: 'auth_providers',
    method: 'GET',
    path: '/auth/providers',
    tags,
    summary: "List the tenant's enabled OAuth providers",
    returns: 'ProvidersResponse',
    operation: `query Providers { result: authProviders { providers { provider name } } }`,
  },
];
