import { validationError } from '../../../src/errors';
import type { EntitySchema } from '../entity-schema/entity-schema.entity';
import type { EntityScope } from '../organization-scope';
import { compileSearch, type SearchFilter } from './record-search';

export interface SearchRequest {
  filters: SearchFilter[];
  orderBy: string;
  orderDir: string;
  page: number;
  size: number;
}

export const RECORD_COLUMNS =
  'r.id, r.tenant_id, r.organization_id, r.schema_id, r.schema_version, r.data, r.created_by_user_id, r.updated_by_user_id, r.created_at, r.updated_at';

/**
 * The page and count statements of a search in `scope` (and `schema`), every input a parameter
 * (422 for anything unknown). Shared by the service and the bench's EXPLAIN.
 */
export function searchSql(scope: EntityScope, schema: EntitySchema | undefined, search: SearchRequest) {
  const params: unknown[] = [scope.tenantId];
  const where = ['r.tenant_id = $1'];
  if (scope.organizationId) where.push(`r.organization_id = $${params.push(scope.organizationId)}`);
  else where.push('r.organization_id IS NULL');
  if (schema) where.push(`r.schema_id = $${params.push(schema.id)}`);
  const filterCount = params.length;
  const { compiled, problems } = compileSearch(schema?.fields, search.filters, { by: search.orderBy, dir: search.orderDir }, params);
  if (!compiled) throw validationError(problems);
  const condition = [...where, ...compiled.conditions].join(' AND ');
  // The ORDER BY may add a last parameter (a field name) that the count does not use.
  const countParams = compiled.params.slice(0, Math.max(filterCount, maxParameter(condition)));
  const rowsParams = [...compiled.params, search.size, (search.page - 1) * search.size];
  return {
    rows: `SELECT ${RECORD_COLUMNS} FROM entities.entity_records r WHERE ${condition} ORDER BY ${compiled.orderBy} LIMIT $${rowsParams.length - 1} OFFSET $${rowsParams.length}`,
    rowsParams,
    count: `SELECT count(*)::int AS total FROM entities.entity_records r WHERE ${condition}`,
    countParams,
  };
}

/** The highest `$n` a SQL text uses. */
function maxParameter(sql: string): number {
  return Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
}
