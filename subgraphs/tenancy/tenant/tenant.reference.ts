import { tenantReference } from '../../../src/federation/reference';
import type { TenantService } from './tenant.service';

/** A tenant is visible only to its own callers. */
export const tenantReferenceResolver = (tenants: TenantService) =>
  tenantReference((_context, tenantId) => tenants.byId(tenantId), (identity, ref) => ref.id === identity.tenantId);
