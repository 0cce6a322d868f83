import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { load, loaderById } from '../../../src/federation/loaders';
import type { SubgraphContext } from '../../../src/federation/context';
import { generateApiKey, hashApiKey, visiblePrefix, type ApiKeyType } from '../../../src/auth/api-key-format';
import { DomainError, validationError, type FieldError } from '../../../src/errors';
import { emit } from '../../../src/events/outbox';
import { isUuid } from '../../../src/validation';
import { normaliseOrigin } from '../../../src/http/origin';
import { listPage, type ListSpec } from '../../../src/db/list-query';
import type { ListArgs, Page } from '../../../src/federation/list-args';
import { ApiKey } from './api-key.entity';
import { ApiKeyCreated, ApiKeyRevoked, ApiKeyRotated } from './api-key.events';

export interface CreateApiKeyInput {
  name: string;
  type: ApiKeyType;
  scopes?: string[];
  allowedOrigins?: string[];
  expiresAt?: Date | null;
  rateLimitTier?: string | null;
}

/** Rate-limit tiers of the core API document (its "Rate Limits" table), with their rates. */
export { RATE_LIMIT_TIERS } from '../../../src/rate-limit-tiers';

const ACTIVE = (k: string) => `${k}.revokedAt IS NULL AND (${k}.expiresAt IS NULL OR ${k}.expiresAt > now())`;

/** How API key lists filter and sort. */
export const API_KEY_LIST: ListSpec<ApiKey> = {
  sortable: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name', last_used_at: 'lastUsedAt', expires_at: 'expiresAt' },
  defaultSort: 'created_at',
  statuses: {
    active: ACTIVE,
    revoked: (k) => `${k}.revokedAt IS NOT NULL`,
    expired: (k) => `${k}.revokedAt IS NULL AND ${k}.expiresAt <= now()`,
  },
  searchable: ['name', 'prefix'],
};

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The full key: returned once, never stored. */
  key: string;
  /** After a rotation: until when the replaced key keeps working. */
  gracePeriodEndsAt?: Date | null;
}

/** Longest grace period a rotation may keep the old key alive for. */
export const MAX_ROTATION_GRACE_SECONDS = 30 * 24 * 3600;

export class ApiKeyService {
  constructor(private readonly dataSource: DataSource) {}

  private readonly keysById = loaderById<ApiKey>('api-key-by-id', (tenantId, ids) => this.dataSource.getRepository(ApiKey).findBy({ tenantId, id: In(ids) }));

  /** A key of the tenant through the request's loader (null when there is none). */
  load(context: SubgraphContext, tenantId: string, id: string): Promise<ApiKey | null> {
    return load(context, this.keysById, tenantId, id);
  }

  list(tenantId: string, args: ListArgs): Promise<Page<ApiKey>> {
    return listPage(this.dataSource.getRepository(ApiKey), tenantId, args, API_KEY_LIST);
  }

  async get(tenantId: string, id: string): Promise<ApiKey> {
    const key = isUuid(id) ? await this.dataSource.getRepository(ApiKey).findOneBy({ tenantId, id }) : null;
    if (!key) throw new DomainError('NOT_FOUND', 'API key not found');
    return key;
  }

  async create(manager: EntityManager, tenantId: string, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    // Shapes are checked by the input's decorators; what depends on the key type is checked here.
    const problems: FieldError[] = [];
    const name = input.name.trim();
    const scopes = [...new Set(input.scopes ?? (input.type === 'secret' ? ['*'] : []))];
    if (input.type === 'public' && scopes.length) problems.push({ field: 'scopes', message: 'public keys carry no scopes' });
    const origins = (input.allowedOrigins ?? (input.type === 'public' ? ['*'] : [])).map(normaliseOrigin);
    if (origins.some((o) => o === undefined)) problems.push({ field: 'allowedOrigins', message: 'must be http(s) origins or "*"' });
    if (problems.length) throw validationError(problems);

    const key = generateApiKey(input.type);
    const repository = manager.getRepository(ApiKey);
    const apiKey = repository.create({
      tenantId,
      name,
      type: input.type,
      prefix: visiblePrefix(key),
      keyHash: hashApiKey(key),
      scopes,
      allowedOrigins: origins as string[],
      expiresAt: input.expiresAt ?? null,
      rateLimitTier: input.rateLimitTier ?? null,
    });
    await repository.insert(apiKey);
    await emit(manager, ApiKeyCreated, tenantId, { apiKeyId: apiKey.id, type: apiKey.type });
    return { apiKey, key }; // insert() filled in the generated id and timestamps
  }

  private async activeKey(manager: EntityManager, tenantId: string, id: string): Promise<ApiKey> {
    if (!isUuid(id)) throw new DomainError('NOT_FOUND', 'API key not found');
    const key = await manager
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .setLock('pessimistic_write')
      .where('k.id = :id AND k.tenant_id = :tenantId AND k.revoked_at IS NULL', { id, tenantId })
      .getOne();
    if (!key) throw new DomainError('NOT_FOUND', 'API key not found');
    return key;
  }

  /** Revokes a key at once (404 when it is unknown or revoked already). */
  async revoke(tenantId: string, id: string): Promise<ApiKey> {
    return this.dataSource.transaction(async (manager) => {
      const key = await this.activeKey(manager, tenantId, id);
      await manager.getRepository(ApiKey).update({ id: key.id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
      await emit(manager, ApiKeyRevoked, tenantId, { apiKeyId: key.id });
      return manager.getRepository(ApiKey).findOneByOrFail({ id: key.id });
    });
  }

  /** Issues a replacement with the same settings; the old key keeps working for the grace period. */
  async rotate(tenantId: string, id: string, gracePeriodSeconds: number): Promise<CreatedApiKey> {
    if (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0 || gracePeriodSeconds > MAX_ROTATION_GRACE_SECONDS) {
      throw validationError([{ field: 'gracePeriodSeconds', message: `must be an integer from 0 to ${MAX_ROTATION_GRACE_SECONDS}` }]);
    }
    return this.dataSource.transaction(async (manager) => {
      const old = await this.activeKey(manager, tenantId, id);
      const created = await this.create(manager, tenantId, {
        name: old.name,
        type: old.type,
        scopes: old.scopes,
        allowedOrigins: old.allowedOrigins,
        expiresAt: old.expiresAt,
        rateLimitTier: old.rateLimitTier,
      });
      const graceEnds = new Date(Date.now() + gracePeriodSeconds * 1000);
      const expiresAt = old.expiresAt && old.expiresAt < graceEnds ? old.expiresAt : graceEnds;
      if (gracePeriodSeconds === 0) {
        await manager.getRepository(ApiKey).update({ id: old.id }, { revokedAt: () => 'now()', replacedById: created.apiKey.id });
      } else {
        await manager.getRepository(ApiKey).update({ id: old.id }, { expiresAt, replacedById: created.apiKey.id });
      }
      await emit(manager, ApiKeyRotated, tenantId, { apiKeyId: old.id, replacedById: created.apiKey.id });
      return { ...created, gracePeriodEndsAt: gracePeriodSeconds === 0 ? new Date() : expiresAt };
    });
  }
}
