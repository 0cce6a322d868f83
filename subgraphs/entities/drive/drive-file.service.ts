import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { Logger } from '../../../src/logger';
import { isUuid } from '../../../src/validation';
import { FileDeleted, FileMoved, FileUpdated, FileUploaded } from './drive.events';
import { DriveFile } from './drive-file.entity';
import type { DriveFolderService } from './drive-folder.service';
import { NO_ID, whereOwner, type DriveOwner } from './drive-owner';
import type { FileStorage } from './storage/file-storage';

export interface DrivePage {
  items: DriveFile[];
  total: number;
  skip: number;
  limit: number;
}

/** A file whose bytes are already in storage under `storageKey`, to be recorded. */
export type StoredFile = Pick<DriveFile, 'id' | 'folderId' | 'filename' | 'originalFilename' | 'fileSize' | 'contentType' | 'storageKey' | 'description' | 'extraMetadata' | 'isShared'>;

/** Files of a drive: their rows and events; bytes live in `storage`. */
export class DriveFileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly folders: DriveFolderService,
    readonly storage: FileStorage,
    private readonly log: Logger,
  ) {}

  async get(owner: DriveOwner, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<DriveFile> {
    const query = whereOwner(manager.getRepository(DriveFile).createQueryBuilder('f').where('f.id = :id', { id: isUuid(id) ? id : NO_ID }), 'f', owner);
    const file = await (lock ? query.setLock('pessimistic_write') : query).getOne();
    if (!file) throw new DomainError('NOT_FOUND', 'File not found');
    return file;
  }

  /** A tenant file marked shared, for any caller of the tenant; anything else is 404. */
  async getShared(tenantId: string, id: string): Promise<DriveFile> {
    const file = await this.dataSource.getRepository(DriveFile).findOneBy({ tenantId, id: isUuid(id) ? id : NO_ID, isShared: true });
    if (!file || file.userId !== null) throw new DomainError('NOT_FOUND', 'File not found');
    return file;
  }

  /** One folder's files (null: the root), newest first. */
  async list(owner: DriveOwner, folderId: string | null, skip: number, limit: number): Promise<DrivePage> {
    if (folderId && !isUuid(folderId)) return { items: [], total: 0, skip, limit };
    const query = whereOwner(this.dataSource.getRepository(DriveFile).createQueryBuilder('f'), 'f', owner);
    query.andWhere(folderId ? 'f.folder_id = :folderId' : 'f.folder_id IS NULL', { folderId });
    const [items, total] = await query.orderBy('f.created_at', 'DESC').addOrderBy('f.id', 'DESC').skip(skip).take(limit).getManyAndCount();
    return { items, total, skip, limit };
  }

  async listShared(tenantId: string, skip: number, limit: number): Promise<DrivePage> {
    const query = this.dataSource.getRepository(DriveFile).createQueryBuilder('f').where('f.tenant_id = :tenantId AND f.is_shared AND f.user_id IS NULL', { tenantId });
    const [items, total] = await query.orderBy('f.created_at', 'DESC').addOrderBy('f.id', 'DESC').skip(skip).take(limit).getManyAndCount();
    return { items, total, skip, limit };
  }

  /** Records a stored upload and announces its bytes, together; the caller removes the bytes if this throws. */
  async record(owner: DriveOwner, stored: StoredFile): Promise<DriveFile> {
    return this.dataSource.transaction(async (manager) => {
      const folderId = await this.folders.target(owner, stored.folderId, manager);
      const repo = manager.getRepository(DriveFile);
      const file = repo.create({ ...stored, folderId, tenantId: owner.tenantId, userId: owner.userId, storageProvider: this.storage.provider });
      await repo.insert(file);
      await emit(manager, FileUploaded, owner.tenantId, { fileId: file.id, userId: owner.userId, folderId, bytes: file.fileSize, contentType: file.contentType });
      return (await repo.findOneBy({ id: file.id }))!;
    });
  }

  async move(owner: DriveOwner, id: string, folderId: string | null): Promise<DriveFile> {
    return this.dataSource.transaction(async (manager) => {
      const file = await this.get(owner, id, manager, true);
      const target = await this.folders.target(owner, folderId, manager);
      await manager.query(`UPDATE entities.drive_files SET folder_id = $1, updated_at = now() WHERE id = $2`, [target, file.id]);
      await emit(manager, FileMoved, owner.tenantId, { fileId: file.id, userId: owner.userId, folderId: target, previousFolderId: file.folderId, bytes: file.fileSize, contentType: file.contentType });
      return this.get(owner, file.id, manager);
    });
  }

  /** Tenant files only: whether the tenant's end users may read it. */
  async setShared(owner: DriveOwner, id: string, isShared: boolean): Promise<DriveFile> {
    if (owner.userId) throw new DomainError('FORBIDDEN', "Only the tenant's own files can be shared");
    return this.dataSource.transaction(async (manager) => {
      const file = await this.get(owner, id, manager, true);
      await manager.getRepository(DriveFile).update({ id: file.id }, { isShared });
      await emit(manager, FileUpdated, owner.tenantId, { fileId: file.id, userId: null, folderId: file.folderId, bytes: file.fileSize, contentType: file.contentType, isShared });
      return this.get(owner, file.id, manager);
    });
  }

  /** The row and its event commit together; the bytes go after (a failure there only leaves an orphan object, logged). */
  async delete(owner: DriveOwner, id: string): Promise<DriveFile> {
    const file = await this.dataSource.transaction(async (manager) => {
      const found = await this.get(owner, id, manager, true);
      await manager.getRepository(DriveFile).delete({ id: found.id });
      await emit(manager, FileDeleted, owner.tenantId, { fileId: found.id, userId: owner.userId, folderId: found.folderId, bytes: found.fileSize, contentType: found.contentType });
      return found;
    });
    await this.storage.remove(file.storageKey).catch((error) => this.log.error({ err: error, key: file.storageKey }, 'stored bytes of a deleted file not removed'));
    return file;
  }
}
