import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

const schemaPayload = z.object({ schemaId: z.guid(), organizationId: z.guid().nullable(), name: z.string().min(1), version: z.number().int().positive() });

export const EntitySchemaCreated = defineEvent('entity.schema.created', schemaPayload);
export const EntitySchemaUpdated = defineEvent('entity.schema.updated', schemaPayload.extend({ fieldsChanged: z.boolean() }));
export const EntitySchemaDeleted = defineEvent('entity.schema.deleted', schemaPayload.extend({ recordsDeleted: z.number().int().nonnegative() }));

export const ENTITY_SCHEMA_EVENTS = [EntitySchemaCreated, EntitySchemaUpdated, EntitySchemaDeleted];
