import { QueryFailedError, type DataSource } from 'typeorm';
import { DomainError, validationError, type FieldError } from '../../../src/errors';
import { emitEvent } from '../../../src/events/outbox';
import { byKeys, groupByKeys, type SubgraphContext } from '../../../src/federation/context';
import { isUuid } from '../../../src/validation';
import { EntitySchema, FIELD_TYPES, type EntityField } from './entity-schema.entity';

export interface CreateEntitySchemaInput {
  name: string;
  description?: string | null;
  fields: EntityField[];
  createdByUserId?: string | null;
}

export class EntitySchemaService {
  constructor(private readonly dataSource: DataSource) {}

  list(tenantId: string): Promise<EntitySchema[]> {
    return this.dataSource.getRepository(EntitySchema).find({ where: { tenantId }, order: { name: 'ASC' } });
  }

  async create(tenantId: string, input: CreateEntitySchemaInput): Promise<EntitySchema> {
    const problems: FieldError[] = [];
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(input.name ?? '')) problems.push({ field: 'name', message: 'must be a lowercase identifier' });
    const names = new Set<string>();
    input.fields.forEach((field, i) => {
      if (!/^[a-z][a-zA-Z0-9_]{0,62}$/.test(field.name) || names.has(field.name)) problems.push({ field: `fields[${i}].name`, message: 'must be a unique identifier' });
      if (!(FIELD_TYPES as readonly string[]).includes(field.type)) problems.push({ field: `fields[${i}].type`, message: `must be one of ${FIELD_TYPES.join(', ')}` });
      names.add(field.name);
    });
    if (input.createdByUserId && !isUuid(input.createdByUserId)) problems.push({ field: 'createdByUserId', message: 'must be a UUID' });
    if (problems.length) throw validationError(problems);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const schema = manager.getRepository(EntitySchema).create({
          tenantId,
          name: input.name,
          description: input.description ?? null,
          fields: input.fields.map((f) => ({ name: f.name, type: f.type, required: f.required ?? false })),
          createdByUserId: input.createdByUserId ?? null,
        });
        await manager.getRepository(EntitySchema).insert(schema);
        await emitEvent(manager, { tenantId, type: 'entity_schema.created', payload: { schemaId: schema.id, name: schema.name } });
        return schema; // insert() filled in the generated id and timestamps
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error as any).driverError?.code === '23505') {
        throw new DomainError('CONFLICT', `An entity schema named "${input.name}" already exists`);
      }
      throw error;
    }
  }

  load(context: SubgraphContext, tenantId: string, id: string): Promise<EntitySchema | null> {
    return context
      .loader<string, EntitySchema | null>(`entity-schema:${tenantId}`, async (ids) => {
        const rows = await this.dataSource
          .getRepository(EntitySchema)
          .createQueryBuilder('s')
          .where('s.tenant_id = :tenantId AND s.id = ANY(:ids::uuid[])', { tenantId, ids: ids.filter(isUuid) })
          .getMany();
        return byKeys(ids, rows, (s) => s.id);
      })
      .load(id);
  }

  /** Schemas each end user created, batched across a request. */
  createdBy(context: SubgraphContext, tenantId: string, userId: string): Promise<EntitySchema[]> {
    return context
      .loader<string, EntitySchema[]>(`entity-schemas-by-creator:${tenantId}`, async (userIds) => {
        const rows = await this.dataSource
          .getRepository(EntitySchema)
          .createQueryBuilder('s')
          .where('s.tenant_id = :tenantId AND s.created_by_user_id = ANY(:ids::uuid[])', { tenantId, ids: userIds.filter(isUuid) })
          .orderBy('s.name', 'ASC')
          .getMany();
        return groupByKeys(userIds, rows, (s) => s.createdByUserId!);
      })
      .load(userId);
  }
}
