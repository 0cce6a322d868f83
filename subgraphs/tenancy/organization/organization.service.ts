import type { DataSource } from 'typeorm';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { DomainError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderById } from '../../../src/federation/loaders';
import type { DepartmentService } from '../department/department.service';
import type { MembershipService } from '../membership/membership.service';
import { TenancyErrors } from '../tenancy.errors';
import { Organization } from './organization.entity';
import { OrganizationCreated, OrganizationUpdated } from './organization.events';

const SLUG_CONSTRAINT = 'organizations_tenant_slug_key';

export interface CreateOrganization {
  name: string;
  slug: string;
  description?: string | null;
  logoUrl?: string | null;
}

export type UpdateOrganization = Partial<Pick<Organization, 'name' | 'description' | 'logoUrl'>>;


export class OrganizationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly memberships: MembershipService,
    private readonly departments: DepartmentService,
  ) {}

  private readonly byId = loaderById<Organization>('organization-by-id', (tenantId, ids) =>
    this.dataSource.getRepository(Organization).createQueryBuilder('o').where('o.tenant_id = :tenantId AND o.id = ANY(:ids::uuid[])', { tenantId, ids }).getMany(),
  );

  load(context: SubgraphContext, tenantId: string, id: string): Promise<Organization | null> {
    return load(context, this.byId, tenantId, id);
  }

  async get(context: SubgraphContext, tenantId: string, id: string): Promise<Organization> {
    const organization = await this.load(context, tenantId, id);
    if (!organization) throw new DomainError('NOT_FOUND', 'Organization not found');
    return organization;
  }

  /** The organizations the user is an active member of, oldest membership first. */
  async ofUser(context: SubgraphContext, tenantId: string, userId: string): Promise<Organization[]> {
    const memberships = (await this.memberships.ofUser(context, tenantId, userId)).filter((m) => m.isActive);
    const organizations = await Promise.all(memberships.map((m) => this.load(context, tenantId, m.organizationId)));
    return organizations.filter((o): o is Organization => o !== null);
  }

  /** The organization, its creator as owner and its default department: all or nothing. */
  async create(tenantId: string, creatorUserId: string, input: CreateOrganization): Promise<Organization> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const repo = manager.getRepository(Organization);
        if (await repo.exists({ where: { tenantId, slug: input.slug } })) throw new DomainError(TenancyErrors.SLUG_TAKEN, `Slug "${input.slug}" is already in use`);
        const organization = await repo.save(
          repo.create({ tenantId, name: input.name, slug: input.slug, description: input.description ?? null, logoUrl: input.logoUrl ?? null }),
        );
        await emit(manager, OrganizationCreated, tenantId, { organizationId: organization.id, createdByUserId: creatorUserId, slug: organization.slug });
        await this.memberships.add(manager, tenantId, organization.id, creatorUserId, 'owner', 'creation');
        await this.departments.createDefault(manager, tenantId, organization.id);
        return organization;
      });
    } catch (error) {
      // Two creations racing for one slug: the constraint decides (other unique races are not slug clashes).
      if (uniqueViolation(error) === SLUG_CONSTRAINT) throw new DomainError(TenancyErrors.SLUG_TAKEN, `Slug "${input.slug}" is already in use`);
      throw error;
    }
  }

  async update(tenantId: string, id: string, changes: UpdateOrganization): Promise<Organization> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Organization);
      const organization = await repo.findOne({ where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
      if (!organization) throw new DomainError('NOT_FOUND', 'Organization not found');
      const changed = (Object.keys(changes) as Array<keyof UpdateOrganization>).filter((key) => changes[key] !== undefined && changes[key] !== organization[key]);
      if (changed.length === 0) return organization;
      for (const key of changed) (organization as unknown as Record<string, unknown>)[key] = changes[key];
      const saved = await repo.save(organization);
      await emit(manager, OrganizationUpdated, tenantId, { organizationId: id, changed });
      return saved;
    });
  }
}
