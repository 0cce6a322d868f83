import { IsIn, IsInt, IsOptional, Length, Max, Min, MinDate } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { MESSAGES } from '../../../src/federation/input-validation';
import { ListArgs, PageOf } from '../../../src/federation/list-args';
import { validationError } from '../../../src/errors';
import { API_KEY_SCOPES } from '../../scopes';
import { ApiKey } from './api-key.entity';
import { MAX_ROTATION_GRACE_SECONDS, RATE_LIMIT_TIERS, type ApiKeyService, type CreatedApiKey as Created } from './api-key.service';
import { TenancyScopes } from '../tenancy.scopes';

@InputType()
class CreateApiKeyInput {
  @Length(1, 255, MESSAGES.length(1, 255))
  @Field()
  name!: string;

  @IsOptional()
  @IsIn(['public', 'secret'], { message: 'must be public or secret' })
  @Field({ nullable: true, description: 'public or secret (default secret)' })
  type?: string;

  @IsOptional()
  @IsIn(RATE_LIMIT_TIERS, { message: `must be one of: ${RATE_LIMIT_TIERS.join(', ')}` })
  @Field(() => String, { nullable: true, description: `Rate-limit tier (${RATE_LIMIT_TIERS.join(', ')}); default: the workspace's` })
  rateLimitTier?: string | null;

  @IsOptional()
  @IsIn(API_KEY_SCOPES, { each: true, message: `must be scopes from: ${API_KEY_SCOPES.join(', ')}` })
  @Field(() => [String], { nullable: true, description: 'Secret keys only; default ["*"]' })
  scopes?: string[];

  @Field(() => [String], { nullable: true, description: 'Public keys: origins allowed to use the key; default ["*"]' })
  allowedOrigins?: string[];

  @IsOptional()
  @MinDate(() => new Date(), { message: 'must be in the future' })
  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;
}

@ArgsType()
class RotateApiKeyArgs {
  // A malformed id is a key that does not exist (NOT_FOUND), as for the other key operations.
  @Field(() => ID)
  id!: string;

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: `must be from 0 to ${MAX_ROTATION_GRACE_SECONDS / 3600}` })
  @Max(MAX_ROTATION_GRACE_SECONDS / 3600, { message: `must be from 0 to ${MAX_ROTATION_GRACE_SECONDS / 3600}` })
  @Field(() => Int, { nullable: true, description: 'Hours the old key keeps working (default 24)' })
  gracePeriodHours?: number | null;

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: `must be from 0 to ${MAX_ROTATION_GRACE_SECONDS}` })
  @Max(MAX_ROTATION_GRACE_SECONDS, { message: `must be from 0 to ${MAX_ROTATION_GRACE_SECONDS}` })
  @Field(() => Int, { nullable: true, description: 'The grace period in seconds, instead of hours' })
  gracePeriodSeconds?: number | null;
}

const DEFAULT_GRACE_SECONDS = 24 * 3600;

@ObjectType({ description: 'A new key with its settings: `key` is shown this once and never again' })
@RequiresScopes(TenancyScopes.apiKeysWrite)
class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field()
  key!: string;

  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  prefix!: string;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => String, { nullable: true })
  rateLimitTier!: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'After a rotation: until when the replaced key keeps working' })
  gracePeriodEndsAt!: Date | null;
}

const ApiKeyPage = PageOf(ApiKey);

/** The new key's settings next to the key itself, as the documents show a created key. */
function createdApiKey({ apiKey, key, gracePeriodEndsAt }: Created): CreatedApiKey {
  const { id, name, prefix, scopes, rateLimitTier, expiresAt, createdAt } = apiKey;
  return { apiKey, key, id, name, prefix, scopes, rateLimitTier, expiresAt, createdAt, gracePeriodEndsAt: gracePeriodEndsAt ?? null };
}

export function createApiKeyResolver(keys: ApiKeyService, dataSource: DataSource) {
  @Resolver(() => ApiKey)
  class ApiKeyResolver {
    @RequiresScopes(TenancyScopes.apiKeysRead)
    @Query(() => ApiKeyPage, { description: 'The workspace’s keys, revoked and expired ones included (filter with status: active, revoked, expired)' })
    apiKeys(@Args() list: ListArgs, @Ctx() { identity }: SubgraphContext) {
      return keys.list(requireTenant(identity), list);
    }

    @RequiresScopes(TenancyScopes.apiKeysRead)
    @FieldResolver(() => ApiKey, { nullable: true, description: 'The key that replaced this one when it was rotated' })
    replacedBy(@Root() key: ApiKey, @Ctx() context: SubgraphContext): Promise<ApiKey | null> {
      return key.replacedById ? keys.load(context, key.tenantId, key.replacedById) : Promise.resolve(null);
    }

    @RequiresScopes(TenancyScopes.apiKeysRead)
    @Query(() => ApiKey, { description: 'One key of the workspace (not found: NOT_FOUND)' })
    apiKey(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<ApiKey> {
      return keys.get(requireTenant(identity), id);
    }

    @RequiresScopes(TenancyScopes.apiKeysWrite)
    @Mutation(() => CreatedApiKey)
    async createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() { identity }: SubgraphContext): Promise<CreatedApiKey> {
      const tenantId = requireTenant(identity);
      const type = (input.type ?? 'secret') as 'public' | 'secret';
      return createdApiKey(await dataSource.transaction((manager) => keys.create(manager, tenantId, { ...input, type })));
    }

    @RequiresScopes(TenancyScopes.apiKeysDelete)
    @Mutation(() => ApiKey, { description: 'Revoke a key at once' })
    revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<ApiKey> {
      return keys.revoke(requireTenant(identity), id);
    }

    @RequiresScopes(TenancyScopes.apiKeysWrite)
    @Mutation(() => CreatedApiKey, { description: 'Replace a key with the same settings; the old one keeps working for the grace period (default 24 hours)' })
    async rotateApiKey(@Args() { id, gracePeriodHours, gracePeriodSeconds }: RotateApiKeyArgs, @Ctx() { identity }: SubgraphContext): Promise<CreatedApiKey> {
      const tenantId = requireTenant(identity);
      if (gracePeriodHours != null && gracePeriodSeconds != null) {
        throw validationError([{ field: 'gracePeriodHours', message: 'cannot be given together with gracePeriodSeconds' }]);
      }
      const seconds = gracePeriodSeconds ?? (gracePeriodHours != null ? gracePeriodHours * 3600 : DEFAULT_GRACE_SECONDS);
      return createdApiKey(await keys.rotate(tenantId, id, seconds));
    }
  }
  return ApiKeyResolver;
}
