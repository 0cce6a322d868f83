/**
 * The drive's byte endpoints in the `/v1` OpenAPI document (they are plain routes, so sofa does
 * not describe them): merged into the face's paths beside the operations of files.graphql.
 */
const ERROR = { description: 'Error', content: { 'application/json': { schema: { type: 'object', properties: { detail: { type: 'string' } } } } } };
const FILE_ID = { name: 'file_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const BINARY = {
  description: 'The bytes (Content-Disposition: attachment with the file name)',
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
};
const download = (summary: string) => ({
  tags: ['Files'],
  summary,
  operationId: summary.replace(/\W+(\w)/g, (_m, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toLowerCase()),
  parameters: [FILE_ID, { name: 'Range', in: 'header', required: false, schema: { type: 'string', example: 'bytes=0-1023' } }],
  responses: { 200: BINARY, 206: { ...BINARY, description: 'The requested range (Content-Range)' }, 404: ERROR, 416: { ...ERROR, description: 'Range not satisfiable (Content-Range: bytes */size)' } },
});

export const DRIVE_OPENAPI_PATHS: Record<string, Record<string, unknown>> = {
  '/v1/user/files': {
    post: {
      tags: ['Files'],
      summary: "Upload a file to user's Drive (multipart/form-data with a 'file' field; streamed; 413 past the upload limit or the plan's storage left)",
      operationId: 'uploadFile',
      parameters: [
        { name: 'folder_id', in: 'query', required: false, schema: { type: 'string', format: 'uuid' } },
        { name: 'description', in: 'query', required: false, schema: { type: 'string', maxLength: 1000 } },
        { name: 'is_shared', in: 'query', required: false, schema: { type: 'boolean' }, description: "Only for the tenant's own files (a secret key)" },
      ],
      requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
      responses: { 201: { description: '{message, file}' }, 404: ERROR, 413: ERROR, 422: ERROR },
    },
  },
  '/v1/user/files/{file_id}/download': { get: download('Download own file') },
  '/v1/user/files/shared/{file_id}/download': { get: download('Download a shared tenant file') },
};

/** Adds the byte endpoints to a face's OpenAPI document (its `paths` object is kept and extended). */
export function withDrivePaths(document: unknown): void {
  const paths = ((document as { paths?: Record<string, Record<string, unknown>> }).paths ??= {});
  for (const [path, methods] of Object.entries(DRIVE_OPENAPI_PATHS)) paths[path] = { ...paths[path], ...methods };
}
