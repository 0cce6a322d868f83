import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ADMIN_SCOPE, requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { ListArgs, type Page } from '../../../src/federation/list-args';
import type { Identity } from '../../../src/identity';
import { TenancyScopes } from '../tenancy.scopes';
import { Tenant } from './tenant.entity';
import type { WorkspaceCaller, WorkspaceService } from './workspace.service';
import { CreateWorkspaceInput, UpdateWorkspaceInput, WorkspacePage } from './workspace.types';

/** An admin session acts on its memberships; any other caller is the key's own workspace. */
function callerOf(identity: Identity): WorkspaceCaller {
  return identity.adminId ? { adminId: identity.adminId } : { tenantId: requireTenant(identity) };
}

/**
 * Workspaces (a workspace is a tenant). Tenant admins create them (and own them) with their
 * dashboard session and see those they belong to; an API key reads, updates or deletes only the
 * workspace it belongs to, with the documented scopes. See README "Workspaces and tenant admins".
 */
export function createWorkspaceResolver(workspaces: WorkspaceService) {
  @Resolver(() => Tenant)
  class WorkspaceResolver {
    @RequiresScopes(TenancyScopes.workspacesRead, ADMIN_SCOPE)
    @Query(() => WorkspacePage, { description: "The admin's workspaces, or the calling key's own" })
    workspaces(@Args() list: ListArgs, @Ctx() { identity }: SubgraphContext): Promise<Page<Tenant>> {
      return workspaces.list(callerOf(identity), list);
    }

    @RequiresScopes(TenancyScopes.workspacesRead, ADMIN_SCOPE)
    @Query(() => Tenant)
    workspace(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<Tenant> {
      return workspaces.get(callerOf(identity), id);
    }

    @RequiresScopes(ADMIN_SCOPE)
    @Mutation(() => Tenant, { description: 'A new workspace; the signed-in admin becomes its owner' })
    createWorkspace(@Arg('input') input: CreateWorkspaceInput, @Ctx() { identity }: SubgraphContext): Promise<Tenant> {
      return workspaces.create(identity.adminId!, input);
    }

    @RequiresScopes(TenancyScopes.workspacesWrite, ADMIN_SCOPE)
    @Mutation(() => Tenant, { description: 'Change name, slug or tier; settings are merged, not replaced' })
    updateWorkspace(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateWorkspaceInput, @Ctx() { identity }: SubgraphContext): Promise<Tenant> {
      return workspaces.update(callerOf(identity), id, input);
    }

    @RequiresScopes(TenancyScopes.workspacesDelete, ADMIN_SCOPE)
    @Mutation(() => Boolean, { description: 'Delete a workspace (owners only): its keys and sessions stop working' })
    async deleteWorkspace(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<boolean> {
      await workspaces.delete(callerOf(identity), id);
      return true;
    }
  }
  return WorkspaceResolver;
}
