import { defineErrors } from '../../../src/errors';

/** The drive's own error codes (generic ones are the kernel's, src/errors.ts). */
export const DriveErrors = defineErrors({
  FOLDER_NOT_EMPTY: { status: 409, message: 'Folder is not empty: move or delete its files and subfolders first' },
  FOLDER_NAME_TAKEN: { status: 409, message: 'A folder with this name already exists here' },
  STORAGE_QUOTA_EXCEEDED: { status: 413, message: "The upload exceeds the storage left on the tenant's plan" },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'Requested range not satisfiable' },
});
