import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

const recordPayload = z.object({ recordId: z.guid(), schemaId: z.guid(), organizationId: z.guid().nullable(), userId: z.guid().nullable() });

export const EntityRecordCreated = defineEvent('entity.record.created', recordPayload);
export const EntityRecordUpdated = defineEvent('entity.record.updated', recordPayload);
export const EntityRecordDeleted = defineEvent('entity.record.deleted', recordPayload);

export const ENTITY_RECORD_EVENTS = [EntityRecordCreated, EntityRecordUpdated, EntityRecordDeleted];
export type EntityRecordEventPayload = z.output<typeof recordPayload>;
