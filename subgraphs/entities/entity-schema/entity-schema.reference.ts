import { tenantReference } from '../../../src/federation/reference';
import type { OrganizationScopes } from '../organization-scope';
import type { EntitySchemaService } from './entity-schema.service';

/**
 * Other subgraphs' `EntitySchema` references, within the caller's tenant (the type's scopes are
 * checked by the guard) and, for an end user, within their organizations.
 */
export const entitySchemaReference = (schemas: EntitySchemaService, organizations: OrganizationScopes) =>
  tenantReference(async (context, tenantId, id) => {
    const schema = await schemas.load(context, tenantId, id);
    return schema && (await organizations.canSee(context, tenantId, schema.organizationId)) ? schema : null;
  });
