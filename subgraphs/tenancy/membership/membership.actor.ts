import { DomainError } from '../../../src/errors';
import type { SubgraphContext } from '../../../src/federation/context';
import { keyPermissions, OrgPermissions } from '../../../src/federation/organization-access';
import type { Actor, MembershipService } from './membership.service';

/** Who is changing memberships: a key with MEMBERS_MANAGE acts as the tenant's server, anyone else by their role. */
export async function actorOf(context: SubgraphContext, memberships: MembershipService, tenantId: string, organizationId: string): Promise<Actor> {
  const { identity } = context;
  if (keyPermissions(identity).includes(OrgPermissions.MEMBERS_MANAGE)) return { kind: 'server' };
  const role = identity.userId ? await memberships.roleOf(context, tenantId, identity.userId, organizationId) : null;
  if (!identity.userId || !role) throw new DomainError('NOT_FOUND', 'Organization not found');
  return { kind: 'member', userId: identity.userId, role };
}
