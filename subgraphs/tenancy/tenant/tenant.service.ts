import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, validationError } from '../../../src/errors';
import { TenancyErrors } from '../tenancy.errors';
import { Tenant } from './tenant.entity';

export interface CreateTenantInput {
  name: string;
  slug?: string;
  requireEmailVerification?: boolean;
  tier?: string;
  settings?: Record<string, unknown>;
}

/** A slug: lowercase letters, digits and inner dashes. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

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
    const given = input.slug?.trim();
    const problems = [];
    if (!name || name.length > 255) problems.push({ field: 'name', message: 'must be 1 to 255 characters' });
    if (given !== undefined && given !== '' && !SLUG_PATTERN.test(given)) problems.push({ field: 'slug', message: 'must be lowercase letters, digits and dashes' });
    if (problems.length) throw validationError(problems);
    // A slug asked for must be free (409); a generated one gets a suffix until it is.
    const slug = given || (await this.freeSlug(manager, slugify(name!) || 'workspace'));
    if (await this.slugTaken(manager, slug)) throw new DomainError(TenancyErrors.SLUG_TAKEN, `Slug "${slug}" is already in use`);
    const tenant = manager.getRepository(Tenant).create({ name, slug, tier: input.tier, settings: input.settings, requireEmailVerification: input.requireEmailVerification ?? false });
    return manager.getRepository(Tenant).save(tenant);
  }

  /** Deleted workspaces keep their slug: links to them must not reach a new one. */
  slugTaken(manager: EntityManager, slug: string): Promise<boolean> {
    return manager.getRepository(Tenant).exists({ where: { slug }, withDeleted: true });
  }

  private async freeSlug(manager: EntityManager, base: string): Promise<string> {
    let slug = base.slice(0, 58).replace(/-+$/, '') || 'workspace';
    while (await this.slugTaken(manager, slug)) slug = `${base.slice(0, 58).replace(/-+$/, '')}-${randomBytes(3).toString('hex')}`;
    return slug;
  }
}
