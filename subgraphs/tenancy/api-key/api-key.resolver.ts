import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { requireTenant, secretScope } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { ApiKey } from './api-key.entity';
import type { ApiKeyService } from './api-key.service';

@InputType()
class CreateApiKeyInput {
  @Field()
  name!: string;

  @Field({ description: 'public or secret' })
  type!: string;

  @Field(() => [String], { nullable: true, description: 'Secret keys only; default ["*"]' })
  scopes?: string[];

  @Field(() => [String], { nullable: true, description: 'Public keys: origins allowed to use the key; default ["*"]' })
  allowedOrigins?: string[];

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;
}

@ObjectType({ description: 'A new key: `key` is shown this once and never again' })
class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field()
  key!: string;
}

export function createApiKeyResolver(keys: ApiKeyService, dataSource: DataSource) {
  @Resolver(() => ApiKey)
  class ApiKeyResolver {
    @Authorized(secretScope('api_keys:read'))
    @Query(() => [ApiKey])
    apiKeys(@Ctx() { identity }: SubgraphContext): Promise<ApiKey[]> {
      return keys.list(requireTenant(identity));
    }

    @Authorized(secretScope('api_keys:write'))
    @Mutation(() => CreatedApiKey)
    createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() { identity }: SubgraphContext): Promise<CreatedApiKey> {
      const tenantId = requireTenant(identity);
      return dataSource.transaction((manager) => keys.create(manager, tenantId, { ...input, type: input.type as 'public' | 'secret' }));
    }

    @Authorized(secretScope('api_keys:write'))
    @Mutation(() => ApiKey, { description: 'Revoke a key at once' })
    revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<ApiKey> {
      return keys.revoke(requireTenant(identity), id);
    }

    @Authorized(secretScope('api_keys:write'))
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
