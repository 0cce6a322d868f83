/** Contract types of the BaaS API (`/v1`): the documented response bodies, with wire names. */
export const V1_TYPE_DEFS = /* GraphQL */ `
  type User {
    id: ID!
    email: String!
    display_name: String
    avatar_url: String
    is_active: Boolean!
    created_at: String!
  }

  type TokenResponse {
    access_token: String!
    refresh_token: String!
    token_type: String!
    expires_in: Int!
    user: User!
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

  type MessageResponse {
    message: String!
  }

  type AuthProvider {
    provider: String!
    name: String!
  }

  type ProvidersResponse {
    providers: [AuthProvider!]!
  }
`;

/** Supergraph fragments that alias fields to the wire names above. */
export const V1_USER_FRAGMENT = /* GraphQL */ `
  fragment V1User on EndUser {
    id
    email
    display_name: displayName
    avatar_url: avatarUrl
    is_active: isActive
    created_at: createdAt
  }
`;

export const V1_TOKENS_FRAGMENTS = /* GraphQL */ `
  ${V1_USER_FRAGMENT}
  fragment V1Tokens on AuthTokens {
    access_token: accessToken
    refresh_token: refreshToken
    token_type: tokenType
    expires_in: expiresIn
    user { ...V1User }
  }
`;
