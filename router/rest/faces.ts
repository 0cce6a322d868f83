import type { RestFace } from './face';
import { API_V1_FACE } from './api-v1';
import { TOOL_BUILDER_FACE } from './tool-builder';
import { V1_FACE } from './v1';

/**
 * Every REST face the router serves. Faces may share a base path: a request goes to the face
 * whose endpoint matches its method and path; an unknown path under a shared base path gets
 * the error body of the face listed first for that base path.
 */
export const REST_FACES: RestFace[] = [API_V1_FACE, TOOL_BUILDER_FACE, V1_FACE];
