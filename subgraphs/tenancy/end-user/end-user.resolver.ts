import { Arg, Args, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { requireTenant, RequiresScopes, requireUser, selfOrScope, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { DomainError } from '../../../src/errors';
import type { Identity } from '../../../src/identity';
import { PageOf } from '../../../src/federation/list-args';
import { checkPage } from '../../../src/federation/paging';
import { EndUserSettingsInput } from './end-user-settings';
import { EndUser, ReadableByUsersOrSelf } from './end-user.entity';
import { CreateEndUserInput, EndUserPageArgs, UpdateEndUserInput } from './end-user.inputs';
import type { EndUserService } from './end-user.service';
import { TenancyScopes } from '../tenancy.scopes';

const EndUserPage = PageOf(EndUser);

@ObjectType({ description: "How many end users the tenant has (deleted ones are not counted)" })
@RequiresScopes(TenancyScopes.usersRead)
class EndUserStats {
  @Field(() => Int)
  totalUsers!: number;

  @Field(() => Int)
  activeUsers!: number;

  @Field(() => Int)
  inactiveUsers!: number;
}

/**
 * Whether the caller may change user `id`: a key with users:write, or the user themself.
 * A key that may only read them lacks a scope (403); anyone else does not see them (404).
 */
function ensureMayChange(identity: Identity, id: string): void {
  if (selfOrScope(identity, TenancyScopes.usersWrite, id)) return;
  if (selfOrScope(identity, TenancyScopes.usersRead, id)) {
    throw new DomainError('INSUFFICIENT_SCOPE', `Requires scope ${TenancyScopes.usersWrite}`, { requiredScopes: [TenancyScopes.usersWrite] });
  }
  throw new DomainError('NOT_FOUND', 'User not found');
}

export function createEndUserResolver(users: EndUserService) {
  @Resolver(() => EndUser)
  class EndUserResolver {
    @RequiresScopes(SELF_SCOPE)
    @Query(() => EndUser, { description: 'The signed-in end user' })
    async me(@Ctx() context: SubgraphContext): Promise<EndUser> {
      const { tenantId, userId } = requireUser(context.identity);
      const user = await users.loadLive(context, tenantId, userId);
      if (!user || !user.isActive) throw new DomainError('UNAUTHENTICATED', 'Not authenticated');
      return user;
    }

    @RequiresScopes(TenancyScopes.usersRead)
    @Query(() => [EndUser], { description: "The tenant's end users (secret key with users:read)" })
    endUsers(
      @Arg('first', () => Int, { defaultValue: 25 }) first: number,
      @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<EndUser[]> {
      checkPage(first, offset);
      return users.list(requireTenant(identity), first, offset);
    }

    @RequiresScopes(TenancyScopes.usersRead)
    @Query(() => EndUserPage, { description: "A page of the tenant's end users, oldest first, and how many there are" })
    endUserPage(@Args() args: EndUserPageArgs, @Ctx() { identity }: SubgraphContext) {
      return users.page(requireTenant(identity), args);
    }

    @RequiresScopes(TenancyScopes.usersRead)
    @Query(() => EndUserStats)
    endUserStats(@Ctx() { identity }: SubgraphContext): Promise<EndUserStats> {
      return users.stats(requireTenant(identity));
    }

    @RequiresScopes(TenancyScopes.usersRead, SELF_SCOPE)
    @Query(() => EndUser, { nullable: true, description: 'A user of the tenant (users:read), or the signed-in user themself; anyone else reads as null' })
    async endUser(@Arg('id', () => ID) id: string, @Ctx() context: SubgraphContext): Promise<EndUser | null> {
      if (!selfOrScope(context.identity, TenancyScopes.usersRead, id)) return null;
      return users.loadLive(context, requireTenant(context.identity), id);
    }

    @ReadableByUsersOrSelf()
    @FieldResolver(() => ID, { nullable: true, description: 'The organization the user works in by default' })
    defaultOrganizationId(@Root() user: EndUser, @Ctx() context: SubgraphContext): Promise<string | null> {
      return users.defaultOrganizationId(context, user.tenantId, user.id);
    }

    @RequiresScopes(TenancyScopes.usersWrite)
    @Mutation(() => EndUser, { description: 'Create a user (secret key with users:write); they choose a password through reset-password' })
    createEndUser(@Arg('input') input: CreateEndUserInput, @Ctx() { identity }: SubgraphContext): Promise<EndUser> {
      return users.create(requireTenant(identity), input);
    }

    @RequiresScopes(TenancyScopes.usersWrite, SELF_SCOPE)
    @Mutation(() => EndUser, { description: "Update a user's profile (users:write, or the user themself)" })
    updateEndUser(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateEndUserInput, @Ctx() { identity }: SubgraphContext): Promise<EndUser> {
      ensureMayChange(identity, id);
      return users.update(requireTenant(identity), id, input);
    }

    @RequiresScopes(TenancyScopes.usersWrite, SELF_SCOPE)
    @Mutation(() => EndUser, { description: "Update a user's settings; only the given ones change (users:write, or the user themself)" })
    updateEndUserSettings(@Arg('id', () => ID) id: string, @Arg('input') input: EndUserSettingsInput, @Ctx() { identity }: SubgraphContext): Promise<EndUser> {
      ensureMayChange(identity, id);
      return users.updateSettings(requireTenant(identity), id, input);
    }

    @RequiresScopes(TenancyScopes.usersWrite, SELF_SCOPE)
    @Mutation(() => EndUser, { description: 'Deactivate a user: they cannot sign in, their sessions end (users:write, or the user themself)' })
    deactivateEndUser(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<EndUser> {
      ensureMayChange(identity, id);
      return users.setActive(requireTenant(identity), id, false);
    }

    @RequiresScopes(TenancyScopes.usersWrite)
    @Mutation(() => EndUser, { description: 'Activate a deactivated user (users:write)' })
    activateEndUser(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<EndUser> {
      return users.setActive(requireTenant(identity), id, true);
    }

    @RequiresScopes(TenancyScopes.usersWrite)
    @Mutation(() => Boolean, { description: 'Delete a user (soft): they read as not found and cannot sign in (users:write)' })
    async deleteEndUser(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<boolean> {
      await users.delete(requireTenant(identity), id);
      return true;
    }
  }
  return EndUserResolver;
}
