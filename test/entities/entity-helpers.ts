import { rest, uniqueIp, type CallOptions } from '../helpers/client';
import type { TestTenant, TestUser } from '../helpers/tenants';

/** An end user's /v1 entities credentials: public key, access token and the organization header. */
export function inOrganization(tenant: TestTenant, user: TestUser, organizationId: string): CallOptions {
  return { apiKey: tenant.public_key, bearer: user.accessToken, ip: uniqueIp(), headers: { 'X-Organization-Id': organizationId } };
}

/** A product schema with one field of every documented type. */
export const PRODUCT_FIELDS = {
  title: { type: 'string', required: true, min_length: 2, max_length: 40 },
  sku: { type: 'string', pattern: '^[A-Z]{3}-\\d{3}$' },
  stock: { type: 'integer', min: 0, max: 1000 },
  price: { type: 'float', min: 0 },
  available: { type: 'boolean', default: true },
  released: { type: 'datetime' },
  notes: { type: 'text', max_length: 500 },
  category: { type: 'enum', values: ['books', 'games', 'tools'] },
  contact: { type: 'email' },
  homepage: { type: 'url' },
  phone: { type: 'phone' },
};

export async function createSchema(options: CallOptions, body: Record<string, unknown>): Promise<any> {
  const created = await rest('POST', '/v1/entity/schemas', body, options);
  if (created.status !== 201) throw new Error(`create schema: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}

export async function createRecord(options: CallOptions, schemaId: string, data: Record<string, unknown>): Promise<any> {
  const created = await rest('POST', '/v1/entity/records', { schema_id: schemaId, data }, options);
  if (created.status !== 201) throw new Error(`create record: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}
