import { tenantReference } from '../../../src/federation/reference';
import type { OrganizationScopes } from '../organization-scope';
import type { EntityRecordService } from './entity-record.service';

/**
 * Other subgraphs' `EntityRecord` references, within the caller's tenant (the type's scopes are
 * checked by the guard) and, for an end user, within their organizations.
 */
export const entityRecordReference = (records: EntityRecordService, organizations: OrganizationScopes) =>
  tenantReference(async (context, tenantId, id) => {
    const record = await records.load(context, tenantId, id);
    return record && (await organizations.canSee(context, tenantId, record.organizationId)) ? record : null;
  });
