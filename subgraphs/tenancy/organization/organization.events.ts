import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

export const OrganizationCreated = defineEvent('organization.created', z.object({ organizationId: z.guid(), createdByUserId: z.guid(), slug: z.string() }));
export const OrganizationUpdated = defineEvent('organization.updated', z.object({ organizationId: z.guid(), changed: z.array(z.string()) }));

export const ORGANIZATION_EVENTS = [OrganizationCreated, OrganizationUpdated];
