import { IsIn, IsNotEmpty } from 'class-validator';
import { Args, ArgsType, Ctx, Field, ID, Mutation, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import { ADMIN_SCOPE, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { MESSAGES } from '../../../src/federation/input-validation';
import { RATE_LIMIT_TIERS, type RateLimitTier } from '../../../src/rate-limit-tiers';
import { isUuid } from '../../../src/validation';
import { Admin } from '../admin/admin.entity';
import { requireAdmin } from '../admin/admin.resolver';
import { Tenant } from './tenant.entity';
import { WorkspaceUpdated } from './workspace.events';

@ArgsType()
class SetWorkspaceTierArgs {
  @IsNotEmpty(MESSAGES.required)
  @Field(() => ID)
  id!: string;

  @IsIn(RATE_LIMIT_TIERS, { message: `must be one of: ${RATE_LIMIT_TIERS.join(', ')}` })
  @Field(() => String, { description: `${RATE_LIMIT_TIERS.join(', ')}: sets the workspace's request rate (README "Rate limits by tier")` })
  tier!: RateLimitTier;
}

/**
 * The tier is what the workspace pays for: only the installation's operator changes it, for any
 * workspace (it belongs to none). Any other admin → 403; an unknown or deleted workspace → 404.
 */
export class WorkspaceTierService {
  constructor(private readonly dataSource: DataSource) {}

  set(adminId: string, id: string, tier: RateLimitTier): Promise<Tenant> {
    return this.dataSource.transaction(async (manager) => {
      const operator = await manager.getRepository(Admin).existsBy({ id: adminId, isOperator: true });
      if (!operator) throw new DomainError('FORBIDDEN', "Only the installation's operator changes a workspace's tier");
      const workspace = isUuid(id) ? await manager.getRepository(Tenant).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!workspace) throw new DomainError('NOT_FOUND', 'Workspace not found');
      if (workspace.tier === tier) return workspace;
      workspace.tier = tier;
      const saved = await manager.getRepository(Tenant).save(workspace);
      await emit(manager, WorkspaceUpdated, id, { workspaceId: id, changed: ['tier'] });
      return saved;
    });
  }
}

export function createWorkspaceTierResolver(tiers: WorkspaceTierService) {
  @Resolver()
  class WorkspaceTierResolver {
    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => Tenant, { description: "The operator sets a workspace's tier (its request rate); takes effect on its next request" })
    setWorkspaceTier(@Args() { id, tier }: SetWorkspaceTierArgs, @Ctx() { identity }: SubgraphContext): Promise<Tenant> {
      return tiers.set(requireAdmin(identity).adminId, id, tier);
    }
  }
  return WorkspaceTierResolver;
}
