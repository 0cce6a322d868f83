import { createHash, randomBytes } from 'node:crypto';

export type ApiKeyType = 'public' | 'secret';

const PREFIX: Record<ApiKeyType, string> = { public: 'pk_live_', secret: 'sk_live_' };
/** Characters of the key shown back to the owner (type prefix plus the start of the secret). */
export const VISIBLE_PREFIX_LENGTH = 16;

export function generateApiKey(type: ApiKeyType): string {
  return PREFIX[type] + randomBytes(24).toString('base64url');
}

export function apiKeyType(key: string): ApiKeyType | undefined {
  if (key.startsWith(PREFIX.public)) return 'public';
  if (key.startsWith(PREFIX.secret)) return 'secret';
  return undefined;
}

/** Only this digest is stored; the full key is shown once. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function visiblePrefix(key: string): string {
  return key.slice(0, VISIBLE_PREFIX_LENGTH);
}
