import { tenantReference } from '../../../src/federation/reference';
import type { EntitySchemaService } from './entity-schema.service';

/** Other subgraphs' `EntitySchema` references, within the caller's tenant (the type's scopes are checked by the guard). */
export const entitySchemaReference = (schemas: EntitySchemaService) => tenantReference((context, tenantId, id) => schemas.load(context, tenantId, id));
