import { type DataSource, type EntityManager } from 'typeorm';
import { uniqueViolation } from '../../../src/db/unique-violation';
import { queryPage, type ListSpec } from '../../../src/db/list-query';
import { DomainError } from '../../../src/errors';
import { isUuid } from '../../../src/validation';
import { emit } from '../../../src/events/outbox';
import type { ListArgs, Page } from '../../../src/federation/list-args';
import { AdminWorkspace, type WorkspaceRole } from '../admin/admin.entity';
import { TenancyErrors } from '../tenancy.errors';
import { Tenant } from './tenant.entity';
import { TenantService } from './tenant.service';
import { WorkspaceCreated, WorkspaceDeleted, WorkspaceUpdated } from './workspace.events';
import type { CreateWorkspaceInput, UpdateWorkspaceInput } from './workspace.types';

/**
 * Who is asking about workspaces: a tenant admin (their memberships; owners may delete) or an
 * API key, which belongs to exactly one workspace and reaches only that one.
 */
export type WorkspaceCaller = { adminId: string } | { tenantId: string };

const LIST_SPEC: ListSpec<Tenant> = {
  sortable: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name', slug: 'slug' },
  defaultSort: 'created_at',
  searchable: ['name', 'slug'],
  // Deleted workspaces are never listed: every one listed is active.
  statuses: { active: (a) => `${a}.deleted_at IS NULL` },
};

/** RFC 7396 JSON merge patch: objects merge key by key, null removes a key, anything else replaces. */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isObject(value)) result[key] = mergePatch(isObject(result[key]) ? (result[key] as Record<string, unknown>) : {}, value);
    else result[key] = value;
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSlugViolation(error: unknown): boolean {
  return /slug/.test(uniqueViolation(error) ?? '');
}

export class WorkspaceService {
  private readonly tenants: TenantService;

  constructor(private readonly dataSource: DataSource) {
    this.tenants = new TenantService(dataSource);
  }

  list(caller: WorkspaceCaller, args: ListArgs): Promise<Page<Tenant>> {
    const query = this.dataSource.getRepository(Tenant).createQueryBuilder('w');
    if ('adminId' in caller) query.innerJoin(AdminWorkspace, 'm', 'm.tenant_id = w.id AND m.admin_id = :adminId', { adminId: caller.adminId });
    else query.where('w.id = :tenantId', { tenantId: caller.tenantId });
    return queryPage(query, 'w', args, LIST_SPEC);
  }

  /** The workspace if the caller may see it; another's (or a deleted one) is not found. */
  async get(caller: WorkspaceCaller, id: string, manager: EntityManager = this.dataSource.manager): Promise<Tenant> {
    const role = await this.roleOf(manager, caller, id);
    const workspace = role ? await manager.getRepository(Tenant).findOneBy({ id }) : null;
    if (!workspace) throw new DomainError('NOT_FOUND', 'Workspace not found');
    return workspace;
  }

  /** A new workspace owned by the admin who creates it. */
  async create(adminId: string, input: CreateWorkspaceInput): Promise<Tenant> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const settings = input.settings ? mergePatch({}, input.settings) : undefined;
        const created = await this.tenants.create(manager, { name: input.name, slug: input.slug ?? undefined, tier: input.tier ?? undefined, settings });
        await manager.getRepository(AdminWorkspace).insert({ adminId, tenantId: created.id, role: 'owner' });
        await emit(manager, WorkspaceCreated, created.id, { workspaceId: created.id, slug: created.slug, ownerAdminId: adminId });
        return manager.getRepository(Tenant).findOneByOrFail({ id: created.id });
      });
    } catch (error) {
      if (isSlugViolation(error)) throw new DomainError(TenancyErrors.SLUG_TAKEN);
      throw error;
    }
  }

  async update(caller: WorkspaceCaller, id: string, input: UpdateWorkspaceInput): Promise<Tenant> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.get(caller, id, manager);
        const current = await manager.getRepository(Tenant).findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
        const changed: Array<'name' | 'slug' | 'tier' | 'settings'> = [];
        const name = input.name?.trim();
        if (name && name !== current.name) {
          current.name = name;
          changed.push('name');
        }
        if (input.slug != null && input.slug !== current.slug) {
          if (await this.tenants.slugTaken(manager, input.slug)) throw new DomainError(TenancyErrors.SLUG_TAKEN, `Slug "${input.slug}" is already in use`);
          current.slug = input.slug;
          changed.push('slug');
        }
        if (input.tier != null && input.tier !== current.tier) {
          current.tier = input.tier;
          changed.push('tier');
        }
        if (input.settings != null) {
          current.settings = mergePatch(current.settings, input.settings);
          changed.push('settings');
        }
        if (!changed.length) return current;
        const saved = await manager.getRepository(Tenant).save(current);
        await emit(manager, WorkspaceUpdated, id, { workspaceId: id, changed });
        return saved;
      });
    } catch (error) {
      if (isSlugViolation(error)) throw new DomainError(TenancyErrors.SLUG_TAKEN);
      throw error;
    }
  }

  /**
   * Soft delete (only an owner, or a key of the workspace with workspaces:delete): its API keys
   * and end-user sessions stop working at once, in the same transaction as the event.
   */
  async delete(caller: WorkspaceCaller, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const role = await this.roleOf(manager, caller, id);
      if (!role || !(await manager.getRepository(Tenant).existsBy({ id }))) throw new DomainError('NOT_FOUND', 'Workspace not found');
      if (role === 'admin') throw new DomainError('FORBIDDEN', 'Only an owner of the workspace may delete it');
      await manager.getRepository(Tenant).softDelete({ id });
      await manager.query(`UPDATE tenancy.api_keys SET revoked_at = now() WHERE tenant_id = $1 AND revoked_at IS NULL`, [id]);
      await manager.query(`UPDATE tenancy.sessions SET revoked_at = now() WHERE tenant_id = $1 AND revoked_at IS NULL`, [id]);
      await emit(manager, WorkspaceDeleted, id, { workspaceId: id });
    });
  }

  /** The caller's role in the workspace: an admin's membership, 'key' for the key's own workspace. */
  private async roleOf(manager: EntityManager, caller: WorkspaceCaller, id: string): Promise<WorkspaceRole | 'key' | undefined> {
    if (!isUuid(id)) return undefined;
    if (!('adminId' in caller)) return caller.tenantId === id ? 'key' : undefined;
    const membership = await manager.getRepository(AdminWorkspace).findOneBy({ adminId: caller.adminId, tenantId: id });
    return membership?.role;
  }
}
