import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

/** Emitted with the workspace's own id as the event's tenant. */
export const WorkspaceCreated = defineEvent('workspace.created', z.object({ workspaceId: z.guid(), slug: z.string(), ownerAdminId: z.guid() }));
export const WorkspaceUpdated = defineEvent('workspace.updated', z.object({ workspaceId: z.guid(), changed: z.array(z.enum(['name', 'slug', 'tier', 'settings'])) }));
/** Soft delete: the workspace's keys and sessions stop working; other domains may clean up. */
export const WorkspaceDeleted = defineEvent('workspace.deleted', z.object({ workspaceId: z.guid() }));

export const WORKSPACE_EVENTS = [WorkspaceCreated, WorkspaceUpdated, WorkspaceDeleted];
