import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, validationError } from '../../../src/errors';
import { TenancyErrors } from '../tenancy.errors';
import { Tenant } from './tenant.entity';

export interface CreateTenantInput {
  name: string;
  slug?: string;
  requireEmailVerification?: boolean;
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

export class TenantService {
  constructor(private readonly dataSource: DataSource) {}

  async byId(tenantId: string): Promise<Tenant | null> {
    return this.dataSource.getRepository(Tenant).findOneBy({ id: tenantId });
  }

  async byIds(ids: readonly string[]): Promise<Tenant[]> {
    return this.dataSource.getRepository(Tenant).createQueryBuilder('t').where('t.id = ANY(:ids)', { ids }).getMany();
  }

  async create(manager: EntityManager, input: CreateTenantInput): Promise<Tenant> {
    const name = input.name?.trim();
    const slug = input.slug?.trim() || slugify(name ?? '');
    const problems = [];
    if (!name || name.length > 200) problems.push({ field: 'name', message: 'must be 1 to 200 characters' });
    if (!/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/.test(slug)) problems.push({ field: 'slug', message: 'must be lowercase letters, digits and dashes' });
    if (problems.length) throw validationError(problems);
    const taken = await manager.getRepository(Tenant).existsBy({ slug });
    if (taken) throw new DomainError(TenancyErrors.SLUG_TAKEN, `Slug "${slug}" is already in use`);
    const tenant = manager.getRepository(Tenant).create({ name, slug, requireEmailVerification: input.requireEmailVerification ?? false });
    return manager.getRepository(Tenant).save(tenant);
  }
}
