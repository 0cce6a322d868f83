import type { DataSource, EntityManager } from 'typeorm';
import { emit } from '../../../src/events/outbox';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderByGroup, loaderById } from '../../../src/federation/loaders';
import { Department } from './department.entity';
import { DepartmentCreated } from './department.events';

export const DEFAULT_DEPARTMENT_NAME = 'General';

export class DepartmentService {
  constructor(private readonly dataSource: DataSource) {}

  private readonly byId = loaderById<Department>('department-by-id', (tenantId, ids) =>
    this.dataSource.getRepository(Department).createQueryBuilder('d').where('d.tenant_id = :tenantId AND d.id = ANY(:ids::uuid[])', { tenantId, ids }).getMany(),
  );

  private readonly byOrganization = loaderByGroup<Department>(
    'departments-by-organization',
    (tenantId, organizationIds) =>
      this.dataSource
        .getRepository(Department)
        .createQueryBuilder('d')
        .where('d.tenant_id = :tenantId AND d.organization_id = ANY(:organizationIds::uuid[])', { tenantId, organizationIds })
        .orderBy('d.is_default', 'DESC')
        .addOrderBy('d.created_at', 'ASC')
        .getMany(),
    (department) => department.organizationId,
  );

  load(context: SubgraphContext, tenantId: string, id: string): Promise<Department | null> {
    return load(context, this.byId, tenantId, id);
  }

  ofOrganization(context: SubgraphContext, tenantId: string, organizationId: string): Promise<Department[]> {
    return load(context, this.byOrganization, tenantId, organizationId);
  }

  /** The department every organization starts with, in the organization's creating transaction. */
  async createDefault(manager: EntityManager, tenantId: string, organizationId: string): Promise<Department> {
    const department = await manager.getRepository(Department).save(
      manager.getRepository(Department).create({ tenantId, organizationId, name: DEFAULT_DEPARTMENT_NAME, description: null, isDefault: true, isActive: true, settings: {} }),
    );
    await emit(manager, DepartmentCreated, tenantId, { departmentId: department.id, organizationId, isDefault: true });
    return department;
  }
}
