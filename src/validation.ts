/** Identifier checks for lookups (request input is validated with class-validator: federation/input-validation.ts). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
