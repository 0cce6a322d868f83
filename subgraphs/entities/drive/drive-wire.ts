import type { DriveFile } from './drive-file.entity';

/**
 * A file as `/v1/user/files` answers it (001_… UserFileResponse). The upload is answered by the
 * subgraph directly (it is not a GraphQL operation), so its body is written here; the same keys
 * as the `DriveFile` fragment of router/rest/v1/files.graphql.
 */
export function wireFile(file: DriveFile): Record<string, unknown> {
  return {
    id: file.id,
    user_id: file.userId,
    tenant_id: file.tenantId,
    folder_id: file.folderId,
    filename: file.filename,
    original_filename: file.originalFilename,
    file_size: file.fileSize,
    content_type: file.contentType,
    storage_provider: file.storageProvider,
    description: file.description,
    extra_metadata: file.extraMetadata,
    is_shared: file.isShared,
    created_at: file.createdAt.toISOString(),
    updated_at: file.updatedAt.toISOString(),
  };
}
