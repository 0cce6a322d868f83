import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

export const ApiKeyCreated = defineEvent('api_key.created', z.object({ apiKeyId: z.guid(), type: z.enum(['public', 'secret']) }));
export const ApiKeyRevoked = defineEvent('api_key.revoked', z.object({ apiKeyId: z.guid() }));
/** A key was replaced; the old one keeps working until its grace period ends. */
export const ApiKeyRotated = defineEvent('api_key.rotated', z.object({ apiKeyId: z.guid(), replacedById: z.guid() }));

export const API_KEY_EVENTS = [ApiKeyCreated, ApiKeyRevoked, ApiKeyRotated];
