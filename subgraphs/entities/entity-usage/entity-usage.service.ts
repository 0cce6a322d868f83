import type { DataSource } from 'typeorm';
import type { EntityScope } from '../organization-scope';
import type { EntityUsage } from './entity-usage.types';

/** Counts an organization's schemas and their records in one statement. */
export class EntityUsageService {
  constructor(private readonly dataSource: DataSource) {}

  async usage(scope: EntityScope & { organizationId: string }): Promise<EntityUsage> {
    const rows: Array<{ id: string; name: string; slug: string; is_active: boolean; records: number }> = await this.dataSource.query(
      `SELECT s.id, s.name, s.slug, s.is_active, count(r.id)::int AS records
         FROM entities.entity_schemas s
         LEFT JOIN entities.entity_records r ON r.schema_id = s.id AND r.tenant_id = s.tenant_id
        WHERE s.tenant_id = $1 AND s.organization_id = $2
        GROUP BY s.id
        ORDER BY s.name`,
      [scope.tenantId, scope.organizationId],
    );
    const schemas = rows.map((row) => ({ schemaId: row.id, name: row.name, slug: row.slug, isActive: row.is_active, recordsCount: row.records }));
    return {
      organizationId: scope.organizationId,
      schemasCount: schemas.length,
      activeSchemasCount: schemas.filter((schema) => schema.isActive).length,
      recordsCount: schemas.reduce((sum, schema) => sum + schema.recordsCount, 0),
      schemas,
    };
  }
}
