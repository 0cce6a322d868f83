import { IsIn, IsOptional, Length, MinDate } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { MESSAGES } from '../../../src/federation/input-validation';
import { API_KEY_SCOPES } from '../../scopes';
import { ApiKey } from './api-key.entity';
import type { ApiKeyService } from './api-key.service';
import { TenancyScopes } from '../tenancy.scopes';

@InputType()
class CreateApiKeyInput {
  @Length(1, 100, MESSAGES.length(1, 100))
  @Field()
  name!: string;

  @IsIn(['public', 'secret'], { message: 'must be public or secret' })
  @Field({ description: 'public or secret' })
  type!: string;

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

@ObjectType({ description: 'A new key: `key` is shown this once and never again' })
@RequiresScopes(TenancyScopes.apiKeysWrite)
class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field()
  key!: string;
}

export function createApiKeyResolver(keys: ApiKeyService, dataSource: DataSource) {
  @Resolver(() => ApiKey)
  class ApiKeyResolver {
    @RequiresScopes(TenancyScopes.apiKeysRead)
    @Query(() => [ApiKey])
    apiKeys(@Ctx() { identity }: SubgraphContext): Promise<ApiKey[]> {
      return keys.list(requireTenant(identity));
    }

    @RequiresScopes(TenancyScopes.apiKeysWrite)
    @Mutation(() => CreatedApiKey)
    createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() { identity }: SubgraphContext): Promise<CreatedApiKey> {
      const tenantId = requireTenant(identity);
      return dataSource.transaction((manager) => keys.create(manager, tenantId, { ...input, type: input.type as 'public' | 'secret' }));
    }

    @RequiresScopes(TenancyScopes.apiKeysWrite)
    @Mutation(() => ApiKey, { description: 'Revoke a key at once' })
    revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<ApiKey> {
      return keys.revoke(requireTenant(identity), id);
    }

    @RequiresScopes(TenancyScopes.apiKeysWrite)
    @Mutation(() => CreatedApiKey, { description: 'Replace a key; the old one keeps working for the grace period' })
    rotateApiKey(
      @Arg('id', () => ID) id: string,
      @Arg('gracePeriodSeconds', () => Int, { defaultValue: 86400 }) gracePeriodSeconds: number,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<CreatedApiKey> {
      return keys.rotate(requireTenant(identity), id, gracePeriodSeconds);
    }
  }
  return ApiKeyResolver;
}
