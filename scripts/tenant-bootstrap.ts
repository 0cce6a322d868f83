import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { ApiKeyService } from '../subgraphs/tenancy/api-key/api-key.service';
import { TENANCY_ENTITIES } from '../subgraphs/tenancy/server';
import { TenantService, type CreateTenantInput } from '../subgraphs/tenancy/tenant/tenant.service';

export interface BootstrappedTenant {
  tenant_id: string;
  slug: string;
  public_key: string;
  secret_key: string;
}

/** A data source on the tenancy schema, for tools that create tenants outside the subgraph. */
export function tenancyDataSource(url: string, poolSize = 1): DataSource {
  return createDataSource({ url, schema: 'tenancy', entities: TENANCY_ENTITIES, poolSize, applicationName: 'tenant-bootstrap' });
}

/**
 * A tenant with one secret key (all scopes) and one public key (any origin), in one transaction,
 * through the tenancy services. Used by `npm run tenant:create` and the tests' tenant factory.
 */
export function bootstrapTenant(dataSource: DataSource, input: CreateTenantInput): Promise<BootstrappedTenant> {
  return dataSource.transaction(async (manager) => {
    const tenant = await new TenantService(dataSource).create(manager, input);
    const keys = new ApiKeyService(dataSource);
    const secret = await keys.create(manager, tenant.id, { name: 'Default secret key', type: 'secret', scopes: ['*'] });
    const publicKey = await keys.create(manager, tenant.id, { name: 'Default public key', type: 'public', allowedOrigins: ['*'] });
    return { tenant_id: tenant.id, slug: tenant.slug, public_key: publicKey.key, secret_key: secret.key };
  });
}
