/** Scopes a secret key can carry; `*` grants all of them. */
export const API_KEY_SCOPES = [
  '*',
  'users:read',
  'users:write',
  'api_keys:read',
  'api_keys:write',
  'mail:read',
  'usage:read',
  'usage:write',
  'agents:read',
  'agents:write',
  'entities:read',
  'entities:write',
] as const;
