import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

export const EntitySchemaCreated = defineEvent('entity_schema.created', z.object({ schemaId: z.guid(), name: z.string().min(1) }));

export const ENTITY_SCHEMA_EVENTS = [EntitySchemaCreated];
