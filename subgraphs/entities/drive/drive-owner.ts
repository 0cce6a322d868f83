import type { SelectQueryBuilder } from 'typeorm';
import { requireTenant } from '../../../src/federation/access';
import type { Identity } from '../../../src/identity';

/** Whose drive a call acts on: an end user's own, or (a caller without end user) the tenant's. */
export interface DriveOwner {
  tenantId: string;
  userId: string | null;
}

export function driveOwnerOf(identity: Identity): DriveOwner {
  return { tenantId: requireTenant(identity), userId: identity.userId ?? null };
}

/** Scopes a query on `alias` to the owner's rows (tenant always, then user or the tenant's own). */
export function whereOwner<T extends object>(query: SelectQueryBuilder<T>, alias: string, owner: DriveOwner): SelectQueryBuilder<T> {
  query.andWhere(`${alias}.tenant_id = :ownerTenantId`, { ownerTenantId: owner.tenantId });
  return owner.userId ? query.andWhere(`${alias}.user_id = :ownerUserId`, { ownerUserId: owner.userId }) : query.andWhere(`${alias}.user_id IS NULL`);
}

/** The nil uuid: what a malformed id is looked up as (finds nothing: a clean 404). */
export const NO_ID = '00000000-0000-0000-0000-000000000000';
