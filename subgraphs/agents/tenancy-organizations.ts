import { subgraphData } from '../../src/federation/subgraph-call';
import type { Identity } from '../../src/identity';

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
    return (await subgraphData<{ myOrganizations: UserOrganization[] }>('Organizations', tenancyUrl, internalSecret, identity, { query: MY_ORGANIZATIONS })).myOrganizations;
  };
}
