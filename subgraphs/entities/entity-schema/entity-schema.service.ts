import type { DataSource, EntityManager } from 'typeorm';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { DomainError, validationError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderByGroup, loaderById } from '../../../src/federation/loaders';
import { isUuid } from '../../../src/validation';
import type { EntityScope } from '../organization-scope';
import { EntitySchema } from './entity-schema.entity';
import { EntitySchemaCreated, EntitySchemaDeleted, EntitySchemaUpdated } from './entity-schema.events';
import { parseFieldsDefinition, type FieldDefinition } from './field-definition';

/** Field definitions as a caller sends them: the wire object (`fields_definition`) or GraphQL's typed list. */
export interface FieldsInput {
  fieldsDefinition?: Record<string, unknown> | null;
  fields?: Array<{ name: string; type: string; required?: boolean | null; default?: unknown; min?: number | null; max?: number | null; minLength?: number | null; maxLength?: number | null; pattern?: string | null; values?: string[] | null }> | null;
}

export interface CreateEntitySchemaInput extends FieldsInput {
  name: string;
  slug?: string | null;
  description?: string | null;
  createdByUserId?: string | null;
}

export interface UpdateEntitySchemaInput extends FieldsInput {
  name?: string | null;
  slug?: string | null;
  description?: string | null;
  isActive?: boolean | null;
}

export interface EntitySchemaPage {
  items: EntitySchema[];
  total: number;
}

const CONFLICTS: Record<string, string> = {
  entity_schemas_org_name_key: 'An entity schema with this name already exists in the organization',
  entity_schemas_org_slug_key: 'An entity schema with this slug already exists in the organization',
};

export class EntitySchemaService {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: EntityScope, page: number, size: number): Promise<EntitySchemaPage> {
    const [items, total] = await this.inScope(this.dataSource.manager, scope)
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'ASC')
      .offset((page - 1) * size)
      .limit(size)
      .getManyAndCount();
    return { items, total };
  }

  /** The schema in the caller's scope, or 404. */
  async get(scope: EntityScope, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<EntitySchema> {
    const query = this.inScope(manager, scope).andWhere('s.id = :id', { id: isUuid(id) ? id : '00000000-0000-0000-0000-000000000000' });
    const schema = await (lock ? query.setLock('pessimistic_write') : query).getOne();
    if (!schema) throw new DomainError('NOT_FOUND', 'Entity schema not found');
    return schema;
  }

  async create(scope: EntityScope, input: CreateEntitySchemaInput): Promise<EntitySchema> {
    const fields = fieldsOf(input) ?? [];
    return this.conflictsAs409(() =>
      this.dataSource.transaction(async (manager) => {
        const schema = manager.getRepository(EntitySchema).create({
          tenantId: scope.tenantId,
          organizationId: scope.organizationId,
          name: input.name,
          slug: input.slug ?? slugOf(input.name),
          description: input.description ?? null,
          fields,
          version: 1,
          isActive: true,
          createdByUserId: input.createdByUserId ?? null,
        });
        await manager.getRepository(EntitySchema).insert(schema);
        await emit(manager, EntitySchemaCreated, scope.tenantId, { schemaId: schema.id, organizationId: schema.organizationId, name: schema.name, version: 1 });
        return schema; // insert() filled in the generated id and timestamps
      }),
    );
  }

  /** Changes what is given; the version increments when the field definitions change (records keep theirs). */
  async update(scope: EntityScope, id: string, input: UpdateEntitySchemaInput): Promise<EntitySchema> {
    const fields = fieldsOf(input);
    return this.conflictsAs409(() =>
      this.dataSource.transaction(async (manager) => {
        const schema = await this.get(scope, id, manager, true);
        const fieldsChanged = fields !== undefined && JSON.stringify(fields) !== JSON.stringify(schema.fields);
        if (input.name != null) schema.name = input.name;
        if (input.slug != null) schema.slug = input.slug;
        if (input.description !== undefined) schema.description = input.description;
        if (input.isActive != null) schema.isActive = input.isActive;
        if (fieldsChanged) {
          schema.fields = fields!;
          schema.version += 1;
        }
        const saved = await manager.getRepository(EntitySchema).save(schema);
        await emit(manager, EntitySchemaUpdated, scope.tenantId, { schemaId: saved.id, organizationId: saved.organizationId, name: saved.name, version: saved.version, fieldsChanged });
        return saved;
      }),
    );
  }

  /** Refused (409) while records exist, unless `force`: then its records go with it. */
  async delete(scope: EntityScope, id: string, force: boolean): Promise<EntitySchema> {
    return this.dataSource.transaction(async (manager) => {
      const schema = await this.get(scope, id, manager, true);
      const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM entities.entity_records WHERE tenant_id = $1 AND schema_id = $2`, [scope.tenantId, schema.id]);
      if (count > 0 && !force) throw new DomainError('CONFLICT', `The schema has ${count} record(s): delete them first, or delete with force=true`);
      await manager.query(`DELETE FROM entities.entity_schemas WHERE tenant_id = $1 AND id = $2`, [scope.tenantId, schema.id]); // records cascade
      await emit(manager, EntitySchemaDeleted, scope.tenantId, { schemaId: schema.id, organizationId: schema.organizationId, name: schema.name, version: schema.version, recordsDeleted: count });
      return schema;
    });
  }

  private inScope(manager: EntityManager, scope: EntityScope) {
    const query = manager.getRepository(EntitySchema).createQueryBuilder('s').where('s.tenant_id = :tenantId', { tenantId: scope.tenantId });
    return scope.organizationId ? query.andWhere('s.organization_id = :organizationId', { organizationId: scope.organizationId }) : query.andWhere('s.organization_id IS NULL');
  }

  private async conflictsAs409<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint !== undefined) throw new DomainError('CONFLICT', CONFLICTS[constraint] ?? 'An entity schema with this name or slug already exists');
      throw error;
    }
  }

  private readonly schemasById = loaderById<EntitySchema>('entity-schema-by-id', (tenantId, ids) =>
    this.dataSource.getRepository(EntitySchema).createQueryBuilder('s').where('s.tenant_id = :tenantId AND s.id = ANY(:ids::uuid[])', { tenantId, ids }).getMany(),
  );

  private readonly schemasByCreator = loaderByGroup<EntitySchema>(
    'entity-schemas-by-creator',
    (tenantId, userIds) =>
      this.dataSource
        .getRepository(EntitySchema)
        .createQueryBuilder('s')
        .where('s.tenant_id = :tenantId AND s.created_by_user_id = ANY(:ids::uuid[])', { tenantId, ids: userIds })
        .orderBy('s.name', 'ASC')
        .getMany(),
    (schema) => schema.createdByUserId!,
  );

  /** A schema of the tenant by id, batched across a request (references, records' schema). */
  load(context: SubgraphContext, tenantId: string, id: string): Promise<EntitySchema | null> {
    return load(context, this.schemasById, tenantId, id);
  }

  /** Schemas each end user created, batched across a request. */
  createdBy(context: SubgraphContext, tenantId: string, userId: string): Promise<EntitySchema[]> {
    return load(context, this.schemasByCreator, tenantId, userId);
  }
}

/** The definitions given (undefined: not given), or 422 listing every problem. */
function fieldsOf(input: FieldsInput): FieldDefinition[] | undefined {
  if (input.fieldsDefinition != null && input.fields != null) throw validationError([{ field: 'fields', message: 'give fields or fieldsDefinition, not both' }]);
  if (input.fields != null) {
    const duplicate = input.fields.findIndex((field, i) => input.fields!.findIndex((other) => other.name === field.name) !== i);
    if (duplicate >= 0) throw validationError([{ field: `fields[${duplicate}].name`, message: 'must be unique in the schema' }]);
  }
  const definition = input.fieldsDefinition ?? (input.fields ? Object.fromEntries(input.fields.map(wireSpecOf)) : undefined);
  if (definition === undefined) return undefined;
  const { fields, problems } = parseFieldsDefinition(definition, input.fieldsDefinition != null ? 'fields_definition' : 'fields');
  if (problems.length) throw validationError(problems);
  return fields;
}

/** A typed GraphQL field input as the wire writes it, so both go through one parser. */
function wireSpecOf(field: NonNullable<FieldsInput['fields']>[number]): [string, Record<string, unknown>] {
  const spec: Record<string, unknown> = { type: field.type, required: field.required ?? false };
  const keys = { default: field.default, min: field.min, max: field.max, min_length: field.minLength, max_length: field.maxLength, pattern: field.pattern, values: field.values };
  for (const [key, value] of Object.entries(keys)) if (value !== undefined && value !== null) spec[key] = value;
  return [field.name, spec];
}

/** `Product Catalog` → `product-catalog` (when GraphQL callers give no slug). */
function slugOf(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'schema';
}
