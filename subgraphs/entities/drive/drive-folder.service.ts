import type { DataSource, EntityManager } from 'typeorm';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { DomainError, validationError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import { isUuid } from '../../../src/validation';
import { DriveErrors } from './drive.errors';
import { FolderCreated, FolderDeleted, FolderRenamed } from './drive.events';
import { DriveFolder } from './drive-folder.entity';
import { NO_ID, whereOwner, type DriveOwner } from './drive-owner';

const MAX_NAME = 255;

/** A folder name is one path segment: 1–255 characters, no slash, no control characters. */
function checkedName(raw: string, field = 'name'): string {
  const name = raw.trim();
  const problem = !name ? 'is required' : name.length > MAX_NAME ? `must be at most ${MAX_NAME} characters` : /[/\\\u0000-\u001f]/.test(name) || name === '.' || name === '..' ? 'must not contain slashes or control characters' : undefined;
  if (problem) throw validationError([{ field, message: problem }]);
  return name;
}

/** Folders of a drive, nested by parent, each with its materialized path of names. */
export class DriveFolderService {
  constructor(private readonly dataSource: DataSource) {}

  async get(owner: DriveOwner, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<DriveFolder> {
    const query = whereOwner(manager.getRepository(DriveFolder).createQueryBuilder('f').where('f.id = :id', { id: isUuid(id) ? id : NO_ID }), 'f', owner);
    const folder = await (lock ? query.setLock('pessimistic_write') : query).getOne();
    if (!folder) throw new DomainError('NOT_FOUND', 'Folder not found');
    return folder;
  }

  list(owner: DriveOwner, parentId: string | null): Promise<DriveFolder[]> {
    if (parentId && !isUuid(parentId)) return Promise.resolve([]);
    const query = whereOwner(this.dataSource.getRepository(DriveFolder).createQueryBuilder('f'), 'f', owner);
    query.andWhere(parentId ? 'f.parent_id = :parentId' : 'f.parent_id IS NULL', { parentId });
    return query.orderBy('lower(f.name)', 'ASC').addOrderBy('f.id', 'ASC').getMany();
  }

  async create(owner: DriveOwner, rawName: string, parentId: string | null): Promise<DriveFolder> {
    const name = checkedName(rawName);
    return this.unique(() =>
      this.dataSource.transaction(async (manager) => {
        const parent = parentId ? await this.get(owner, parentId, manager).catch(() => this.missingParent()) : null;
        const repo = manager.getRepository(DriveFolder);
        const folder = repo.create({ tenantId: owner.tenantId, userId: owner.userId, parentId: parent?.id ?? null, name, path: `${parent?.path ?? ''}/${name}` });
        await repo.insert(folder);
        await emit(manager, FolderCreated, owner.tenantId, { folderId: folder.id, userId: owner.userId, parentId: folder.parentId, path: folder.path });
        return folder;
      }),
    );
  }

  /** Renames the folder and rewrites the path of everything below it in the same transaction. */
  async rename(owner: DriveOwner, id: string, rawName: string): Promise<DriveFolder> {
    const name = checkedName(rawName);
    return this.unique(() =>
      this.dataSource.transaction(async (manager) => {
        const folder = await this.get(owner, id, manager, true);
        const previousPath = folder.path;
        const path = `${previousPath.slice(0, previousPath.lastIndexOf('/'))}/${name}`;
        await manager.query(`UPDATE entities.drive_folders SET name = $1, path = $2, updated_at = now() WHERE id = $3`, [name, path, folder.id]);
        // Descendants by path prefix (compared as text, so no LIKE wildcard in a name matters).
        await manager.query(
          `UPDATE entities.drive_folders SET path = $1 || substr(path, length($2) + 1), updated_at = now()
            WHERE tenant_id = $3 AND user_id IS NOT DISTINCT FROM $4 AND left(path, length($2) + 1) = $2 || '/'`,
          [path, previousPath, owner.tenantId, owner.userId],
        );
        await emit(manager, FolderRenamed, owner.tenantId, { folderId: folder.id, userId: owner.userId, parentId: folder.parentId, path, previousPath });
        return this.get(owner, folder.id, manager);
      }),
    );
  }

  /** Only an empty folder (no files, no subfolders): 409 otherwise. */
  async delete(owner: DriveOwner, id: string): Promise<DriveFolder> {
    return this.dataSource.transaction(async (manager) => {
      const folder = await this.get(owner, id, manager, true);
      const [child] = await manager.query(
        `SELECT 1 FROM entities.drive_folders WHERE parent_id = $1 UNION ALL SELECT 1 FROM entities.drive_files WHERE folder_id = $1 LIMIT 1`,
        [folder.id],
      );
      if (child) throw new DomainError(DriveErrors.FOLDER_NOT_EMPTY);
      await manager.getRepository(DriveFolder).delete({ id: folder.id });
      await emit(manager, FolderDeleted, owner.tenantId, { folderId: folder.id, userId: owner.userId, parentId: folder.parentId, path: folder.path });
      return folder;
    });
  }

  /** The folder a file goes to (null: the root); someone else's or a missing one is 404. */
  async target(owner: DriveOwner, folderId: string | null | undefined, manager?: EntityManager): Promise<string | null> {
    if (folderId === null || folderId === undefined || folderId === '') return null;
    return (await this.get(owner, folderId, manager)).id;
  }

  private missingParent(): never {
    throw new DomainError('NOT_FOUND', 'Parent folder not found');
  }

  private async unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (uniqueViolation(error) !== undefined) throw new DomainError(DriveErrors.FOLDER_NAME_TAKEN);
      throw error;
    }
  }
}

