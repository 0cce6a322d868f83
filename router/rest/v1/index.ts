import type { RestFace } from '../face';
import { v1Page } from './page';

/** The BaaS API (`001_…`): errors are `{"detail": "..."}` (422 adds the failing fields); bodies as selected. */
export const V1_FACE: RestFace = {
  name: 'v1',
  basePath: '/v1',
  title: 'BaaS API (v1)',
  description: 'End-user authentication, organizations, subscriptions and agents for SaaS frontends.',
  documents: {
    Authentication: 'router/rest/v1/auth.graphql',
    Organizations: 'router/rest/v1/organizations.graphql',
    Departments: 'router/rest/v1/departments.graphql',
    Users: 'router/rest/v1/users.graphql',
    Plans: 'router/rest/v1/plans.graphql',
    Subscriptions: 'router/rest/v1/subscriptions.graphql',
    Billing: 'router/rest/v1/billing.graphql',
    Agents: 'router/rest/v1/agents.graphql',
    Entities: 'router/rest/v1/entities.graphql',
    Usage: 'router/rest/v1/usage.graphql',
    Files: 'router/rest/v1/files.graphql',
    AI: 'router/rest/v1/ai.graphql',
    'External agents': 'router/rest/v1/external-agents.graphql',
  },
  // The seed client reads /v1/developer/openapi.json; /v1/openapi.json is the short name.
  openApiPaths: ['/v1/openapi.json', '/v1/developer/openapi.json'],
  errorBody: ({ message, fields }) => (fields?.length ? { detail: message, errors: fields } : { detail: message }),
  pageBody: v1Page,
  // Writes with an `Idempotency-Key` run once (router/rest/idempotency.ts), as on the core face.
  idempotency: true,
  transforms: {
    /** my-organizations answers `{"organizations": [...]}` around the list. */
    organizationsList: { returns: 'MyOrganizationsResponse', apply: (organizations: unknown[]) => ({ organizations }) },
    /** register answers tokens, or only the message when the tenant requires email verification. */
    tokensOrVerification: {
      returns: 'RegisterResponse',
      apply: (r: { verification_required: boolean; message: string | null; tokens: unknown }) =>
        r.verification_required ? { message: r.message, verification_required: true } : r.tokens,
    },
  },
  typeDefs: /* GraphQL */ `
    """The signed-in user's organizations, each with their role."""
    type MyOrganizationsResponse {
      organizations: [Organization!]!
    }
    """Tokens when the tenant needs no email verification; else message and verification_required."""
    type RegisterResponse {
      access_token: String
      refresh_token: String
      token_type: String
      expires_in: Int
      user: User
      message: String
      verification_required: Boolean
    }
  `,
};
