import { selfOrScope } from '../../../src/federation/access';
import { tenantReference } from '../../../src/federation/reference';
import type { EndUserService } from './end-user.service';
import { TenancyScopes } from '../tenancy.scopes';

/** Other subgraphs' `EndUser` references: a key with users:read sees any user of its tenant, an end user only themself. */
export const endUserReference = (users: EndUserService) =>
  tenantReference((context, tenantId, id) => users.load(context, tenantId, id), (identity, ref) => selfOrScope(identity, TenancyScopes.usersRead, ref.id));
