import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, validationError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderById } from '../../../src/federation/loaders';
import { isUuid } from '../../../src/validation';
import type { EntitySchemaService } from '../entity-schema/entity-schema.service';
import { validateRecordData } from '../entity-schema/field-definition';
import type { EntityScope } from '../organization-scope';
import type { SearchFilter } from '../search/record-search';
import { searchSql } from '../search/search-sql';
import { EntityRecord } from './entity-record.entity';
import { EntityRecordCreated, EntityRecordDeleted, EntityRecordUpdated } from './entity-record.events';

export interface RecordSearch {
  schemaId?: string | null;
  filters: SearchFilter[];
  orderBy: string;
  orderDir: string;
  page: number;
  size: number;
}

const NO_ID = '00000000-0000-0000-0000-000000000000';

export class EntityRecordService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schemas: EntitySchemaService,
  ) {}

  async create(scope: EntityScope, schemaId: string, data: unknown, userId: string | null): Promise<EntityRecord> {
    return this.dataSource.transaction(async (manager) => {
      const schema = await this.schemas.get(scope, schemaId, manager);
      if (!schema.isActive) throw new DomainError('CONFLICT', 'The schema is inactive: it takes no new records');
      const valid = validateRecordData(schema.fields, data);
      if (valid.problems.length) throw validationError(valid.problems);
      const repo = manager.getRepository(EntityRecord);
      const record = repo.create({
        tenantId: scope.tenantId,
        organizationId: scope.organizationId,
        schemaId: schema.id,
        schemaVersion: schema.version,
        data: valid.data,
        createdById: userId,
        updatedById: userId,
      });
      await repo.insert(record);
      await emit(manager, EntityRecordCreated, scope.tenantId, { recordId: record.id, schemaId: schema.id, organizationId: record.organizationId, userId });
      return record;
    });
  }

  async get(scope: EntityScope, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<EntityRecord> {
    const query = manager
      .getRepository(EntityRecord)
      .createQueryBuilder('r')
      .where('r.tenant_id = :tenantId AND r.id = :id', { tenantId: scope.tenantId, id: isUuid(id) ? id : NO_ID })
      .andWhere(scope.organizationId ? 'r.organization_id = :organizationId' : 'r.organization_id IS NULL', { organizationId: scope.organizationId });
    const record = await (lock ? query.setLock('pessimistic_write') : query).getOne();
    if (!record) throw new DomainError('NOT_FOUND', 'Entity record not found');
    return record;
  }

  /** Replaces the data, validated against the schema's current version. */
  async update(scope: EntityScope, id: string, data: unknown, userId: string | null): Promise<EntityRecord> {
    return this.dataSource.transaction(async (manager) => {
      const record = await this.get(scope, id, manager, true);
      const schema = await this.schemas.get(scope, record.schemaId, manager);
      const valid = validateRecordData(schema.fields, data);
      if (valid.problems.length) throw validationError(valid.problems);
      Object.assign(record, { data: valid.data, schemaVersion: schema.version, updatedById: userId });
      const saved = await manager.getRepository(EntityRecord).save(record);
      await emit(manager, EntityRecordUpdated, scope.tenantId, { recordId: saved.id, schemaId: saved.schemaId, organizationId: saved.organizationId, userId });
      return saved;
    });
  }

  async delete(scope: EntityScope, id: string, userId: string | null): Promise<EntityRecord> {
    return this.dataSource.transaction(async (manager) => {
      const record = await this.get(scope, id, manager, true);
      await manager.getRepository(EntityRecord).delete({ tenantId: scope.tenantId, id: record.id });
      await emit(manager, EntityRecordDeleted, scope.tenantId, { recordId: record.id, schemaId: record.schemaId, organizationId: record.organizationId, userId });
      return record;
    });
  }

  /** Records of the scope (of one schema), filtered and ordered as typed by the schema; the page and the total. */
  async search(scope: EntityScope, search: RecordSearch): Promise<{ items: EntityRecord[]; total: number }> {
    const schema = search.schemaId ? await this.schemas.get(scope, search.schemaId) : undefined;
    const sql = searchSql(scope, schema, search);
    const [rows, [{ total }]] = await Promise.all([this.dataSource.query(sql.rows, sql.rowsParams), this.dataSource.query(sql.count, sql.countParams)]);
    return { items: rows.map(recordOf), total };
  }

  private readonly recordsById = loaderById<EntityRecord>('entity-record-by-id', (tenantId, ids) =>
    this.dataSource.getRepository(EntityRecord).createQueryBuilder('r').where('r.tenant_id = :tenantId AND r.id = ANY(:ids::uuid[])', { tenantId, ids }).getMany(),
  );

  /** A record of the tenant by id, batched across a request (federation references). */
  load(context: SubgraphContext, tenantId: string, id: string): Promise<EntityRecord | null> {
    return load(context, this.recordsById, tenantId, id);
  }
}

function recordOf(row: Record<string, any>): EntityRecord {
  return Object.assign(new EntityRecord(), {
    id: row.id,
    tenantId: row.tenant_id,
    organizationId: row.organization_id,
    schemaId: row.schema_id,
    schemaVersion: row.schema_version,
    data: row.data,
    createdById: row.created_by_user_id,
    updatedById: row.updated_by_user_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
