import { DomainError } from '../../src/errors';
import { signIdentity, type Identity } from '../../src/identity';

const MY_ORGANIZATIONS = '{ myOrganizations { id isDefault } }';

export interface UserOrganization {
  id: string;
  isDefault: boolean;
}

/** The signed-in user's organizations, as tenancy (their owner) knows them. */
export type OrganizationsOfCaller = (identity: Identity) => Promise<UserOrganization[]>;

/**
 * Asks tenancy with the caller's own signed identity (a synchronous cross-domain check, as
 * `rolesFromTenancy` does for roles): a user only ever learns their own memberships.
 */
export function organizationsFromTenancy(tenancyUrl: string, internalSecret: string): OrganizationsOfCaller {
  return async (identity) => {
    const platformIdentity = signIdentity(identity, { query: MY_ORGANIZATIONS, variables: {} }, internalSecret);
    const response = await fetch(tenancyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: MY_ORGANIZATIONS, variables: {}, extensions: { platformIdentity } }),
    });
    const body = (await response.json()) as { data?: { myOrganizations: UserOrganization[] }; errors?: unknown[] };
    if (!body.data) throw new DomainError('INTERNAL', `Organizations unavailable: ${JSON.stringify(body.errors)}`);
    return body.data.myOrganizations;
  };
}
