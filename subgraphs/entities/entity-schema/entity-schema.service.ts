import type { DataSource } from 'typeorm';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { DomainError, validationError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderByGroup, loaderById } from '../../../src/federation/loaders';
import { EntitySchema, type EntityField } from './entity-schema.entity';
import { EntitySchemaCreated } from './entity-schema.events';

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
    // Shapes are checked by the input's decorators; uniqueness needs the whole list.
    const duplicate = input.fields.findIndex((field, i) => input.fields.findIndex((other) => other.name === field.name) !== i);
    if (duplicate >= 0) throw validationError([{ field: `fields[${duplicate}].name`, message: 'must be unique in the schema' }]);
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
        await emit(manager, EntitySchemaCreated, tenantId, { schemaId: schema.id, name: schema.name });
        return schema; // insert() filled in the generated id and timestamps
      });
    } catch (error) {
      if (uniqueViolation(error) !== undefined) {
        throw new DomainError('CONFLICT', `An entity schema named "${input.name}" already exists`);
      }
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

  load(context: SubgraphContext, tenantId: string, id: string): Promise<EntitySchema | null> {
    return load(context, this.schemasById, tenantId, id);
  }

  /** Schemas each end user created, batched across a request. */
  createdBy(context: SubgraphContext, tenantId: string, userId: string): Promise<EntitySchema[]> {
    return load(context, this.schemasByCreator, tenantId, userId);
  }
}
