import { adminSessionCookie } from '../../../src/auth/admin-session';
import type { RestFace, SelectedPage } from '../face';

/** Session answers without the fields of the other outcome (a pending 2FA step has no token). */
const withoutNulls = (result: Record<string, unknown>) => Object.fromEntries(Object.entries(result).filter(([, v]) => v !== null));

/**
 * The tool builder's API (`002_…`), on `/api/v1` next to the core face (listed after it, so the
 * core face answers unknown paths): its admin auth, errors `{"detail": "..."}` (422 adds the
 * failing fields), pages `{items, total}`, bodies as selected.
 */
export const TOOL_BUILDER_FACE: RestFace = {
  name: 'tool-builder',
  basePath: '/api/v1',
  title: 'Tool builder API (/api/v1, admin session)',
  description: 'The dashboard API of tenant admins: setup, login with optional TOTP 2FA, and the admin account.',
  documents: { Auth: 'router/rest/tool-builder/auth.graphql' },
  openApiPaths: ['/api/v1/tool-builder/openapi.json'],
  errorBody: ({ message, fields }) => (fields?.length ? { detail: message, errors: fields } : { detail: message }),
  pageBody: ({ items, total }: SelectedPage) => ({ items, total }),
  // Writes with an `Idempotency-Key` run once (router/rest/idempotency.ts), as on the core face.
  idempotency: true,
  // Session tokens, TOTP secrets and recovery codes: no cache may keep any answer.
  successHeaders: { 'cache-control': 'no-store' },
  transforms: {
    /** Setup, login and verify-2fa: the session token in the body (API clients) and as an HTTP-only cookie (browsers). */
    adminSession: {
      returns: 'AdminSessionResponse',
      apply: withoutNulls,
      headers: (result: { access_token: string | null }): Record<string, string> => (result.access_token ? { 'set-cookie': adminSessionCookie(result.access_token) } : {}),
    },
    /** Logout clears the cookie (the session itself ended in the subgraph). */
    clearAdminSession: {
      returns: 'AdminMessage',
      apply: (result: { message: string }) => result,
      headers: () => ({ 'set-cookie': adminSessionCookie(undefined) }),
    },
  },
  typeDefs: /* GraphQL */ `
    """A session (access_token, also set as the admin_session cookie), or requires_2fa with a pending_token"""
    type AdminSessionResponse {
      requires_2fa: Boolean!
      pending_token: String
      access_token: String
      token_type: String
      expires_in: Int
      username: String
      totp_enabled: Boolean
    }
    type AdminMessage {
      message: String!
    }
  `,
};
