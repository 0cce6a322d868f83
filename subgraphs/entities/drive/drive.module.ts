import type { SubgraphDeps } from '../../../src/federation/run-subgraph';
import { DRIVE_EVENTS } from './drive.events';
import { DriveFile } from './drive-file.entity';
import { createDriveFileResolver } from './drive-file.resolver';
import { DriveFileService } from './drive-file.service';
import { DriveFolder } from './drive-folder.entity';
import { createDriveFolderResolver } from './drive-folder.resolver';
import { DriveFolderService } from './drive-folder.service';
import { driveHttpRoutes } from './drive-http';
import { storageLeftFromBilling } from './storage-quota';
import { createFileStorage, spoolDirectory } from './storage/file-storage';

/** The file drive inside the entities subgraph: its entities, events, resolvers and byte routes. */
export const DRIVE_ENTITIES = [DriveFile, DriveFolder];
export { DRIVE_EVENTS };

function driveServices({ dataSource, config, log }: SubgraphDeps) {
  const folders = new DriveFolderService(dataSource);
  const files = new DriveFileService(dataSource, folders, createFileStorage(config.drive, config.dataDir), log);
  return { folders, files };
}

export function createDriveResolvers(deps: SubgraphDeps) {
  const { folders, files } = driveServices(deps);
  return [createDriveFileResolver(files), createDriveFolderResolver(folders)] as const;
}

export function createDriveHttpRoutes(deps: SubgraphDeps) {
  const { config, log } = deps;
  return driveHttpRoutes({
    ...driveServices(deps),
    storageLeft: storageLeftFromBilling(config.subgraphUrls.billing, config.internalSecret),
    maxUploadBytes: config.drive.maxUploadBytes,
    spoolDir: spoolDirectory(config.dataDir),
    internalSecret: config.internalSecret,
    log,
  });
}
