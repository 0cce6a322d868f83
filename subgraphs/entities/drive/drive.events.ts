import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

/** The owner: an end user, or null for the tenant's own drive. */
const owner = { userId: z.guid().nullable() };
const file = z.object({ fileId: z.guid(), ...owner, folderId: z.guid().nullable(), bytes: z.number().int().nonnegative(), contentType: z.string() });
const folder = z.object({ folderId: z.guid(), ...owner, parentId: z.guid().nullable(), path: z.string() });

/** Stored bytes grew by `bytes` (billing's `storage` meter). */
export const FileUploaded = defineEvent('file.uploaded', file);
/** Stored bytes shrank by `bytes`. */
export const FileDeleted = defineEvent('file.deleted', file);
export const FileMoved = defineEvent('file.moved', file.extend({ previousFolderId: z.guid().nullable() }));
/** A tenant file shared with its end users or made private again. */
export const FileUpdated = defineEvent('file.updated', file.extend({ isShared: z.boolean() }));
export const FolderCreated = defineEvent('folder.created', folder);
export const FolderRenamed = defineEvent('folder.renamed', folder.extend({ previousPath: z.string() }));
export const FolderDeleted = defineEvent('folder.deleted', folder);

export const DRIVE_EVENTS = [FileUploaded, FileDeleted, FileMoved, FileUpdated, FolderCreated, FolderRenamed, FolderDeleted];
