import type { DataSource } from 'typeorm';
import type { SubgraphContext } from '../../../src/federation/context';
import { load, loaderById } from '../../../src/federation/loaders';
import { isUuid } from '../../../src/validation';
import { EndUser } from './end-user.entity';

export class EndUserService {
  constructor(private readonly dataSource: DataSource) {}

  byIds(tenantId: string, ids: readonly string[]): Promise<EndUser[]> {
    return this.dataSource
      .getRepository(EndUser)
      .createQueryBuilder('u')
      .where('u.tenant_id = :tenantId AND u.id = ANY(:ids::uuid[])', { tenantId, ids: ids.filter(isUuid) })
      .getMany();
  }

  list(tenantId: string, first: number, offset: number): Promise<EndUser[]> {
    return this.dataSource.getRepository(EndUser).find({ where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' }, take: first, skip: offset });
  }

  private readonly usersById = loaderById<EndUser>('end-user-by-id', (tenantId, ids) => this.byIds(tenantId, ids));

  /** Batched per request and keyed by (tenant, id): no N+1 from lists or entity references. */
  load(context: SubgraphContext, tenantId: string, id: string): Promise<EndUser | null> {
    return load(context, this.usersById, tenantId, id);
  }
}
