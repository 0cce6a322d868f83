import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { WebhookSettings } from '../../../src/config';
import { listPage, type ListSpec } from '../../../src/db/list-query';
import { DomainError, validationError } from '../../../src/errors';
import type { ListArgs, Page } from '../../../src/federation/list-args';
import { resolveSafeTarget, UnsafeUrlError } from '../../../src/net/ssrf-guard';
import { isUuid } from '../../../src/validation';
import { TenancyErrors } from '../tenancy.errors';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { endpointWithSecrets, queueAttempt, signingSecrets, webhookBody } from './webhook.delivery';
import { postWebhook, type AttemptResult } from './webhook.http';
import { generateWebhookSecret, isValidWebhookSecret, signedHeaders } from './webhook.signing';

export const WEBHOOK_ENDPOINT_LIST: ListSpec<WebhookEndpoint> = {
  sortable: { created_at: 'createdAt', updated_at: 'updatedAt', url: 'url', last_delivery_at: 'lastDeliveryAt' },
  defaultSort: 'created_at',
  statuses: { active: (e) => `${e}.isActive = true`, disabled: (e) => `${e}.isActive = false` },
  searchable: ['url'],
};

export const WEBHOOK_DELIVERY_LIST: ListSpec<WebhookDelivery> = {
  sortable: { created_at: 'createdAt', updated_at: 'updatedAt', attempt: 'attempt' },
  defaultSort: '-created_at',
  statuses: Object.fromEntries(['pending', 'success', 'failed', 'retrying'].map((s) => [s, (d: string) => `${d}.status = '${s}'`])),
  searchable: ['eventType'],
};

export interface EndpointInput {
  url?: string;
  events?: string[];
  secret?: string | null;
  isActive?: boolean;
}

/** An endpoint with the secret shown this once (creation, rotation). */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
  previousSecretExpiresAt: Date | null;
}

export class WebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: WebhookSettings,
  ) {}

  list(tenantId: string, args: ListArgs): Promise<Page<WebhookEndpoint>> {
    return listPage(this.dataSource.getRepository(WebhookEndpoint), tenantId, args, WEBHOOK_ENDPOINT_LIST);
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = isUuid(id) ? await this.dataSource.getRepository(WebhookEndpoint).findOneBy({ tenantId, id }) : null;
    if (!endpoint) throw new DomainError('NOT_FOUND', 'Webhook endpoint not found');
    return endpoint;
  }

  /** The URL as the SSRF guard sees it now (a host that resolves into a refused range is a 422 on `url`). */
  private async checkedUrl(url: string): Promise<string> {
    try {
      return (await resolveSafeTarget(url.trim(), { allowPrivateNetworks: this.settings.allowPrivateNetworks })).url.toString();
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw validationError([{ field: 'url', message: error.message }]);
      throw error;
    }
  }

  async create(tenantId: string, input: Required<Pick<EndpointInput, 'url' | 'events'>> & EndpointInput): Promise<EndpointWithSecret> {
    if (input.secret != null && !isValidWebhookSecret(input.secret)) {
      throw validationError([{ field: 'secret', message: 'must be whsec_ followed by 24 to 64 bytes in base64' }]);
    }
    const url = await this.checkedUrl(input.url);
    const secret = input.secret ?? generateWebhookSecret();
    const repository = this.dataSource.getRepository(WebhookEndpoint);
    const endpoint = repository.create({
      tenantId,
      url,
      events: [...new Set(input.events)],
      secret,
      isActive: true,
      successCount: 0,
      failureCount: 0,
      consecutiveFailures: 0,
    });
    await repository.insert(endpoint);
    return { endpoint: await this.get(tenantId, endpoint.id), secret, previousSecretExpiresAt: null };
  }

  async update(tenantId: string, id: string, input: EndpointInput): Promise<WebhookEndpoint> {
    const endpoint = await this.get(tenantId, id);
    const changes: Partial<WebhookEndpoint> = {};
    if (input.url != null) changes.url = await this.checkedUrl(input.url);
    if (input.events != null) changes.events = [...new Set(input.events)];
    if (input.isActive != null) {
      changes.isActive = input.isActive;
      // Re-enabling starts afresh: the failures that disabled it do not disable it again at once.
      if (input.isActive && !endpoint.isActive) Object.assign(changes, { disabledReason: null, consecutiveFailures: 0, failingSince: null });
    }
    if (Object.keys(changes).length) await this.dataSource.getRepository(WebhookEndpoint).update({ tenantId, id: endpoint.id }, changes);
    return this.get(tenantId, id);
  }

  async delete(tenantId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.get(tenantId, id);
    await this.dataSource.getRepository(WebhookEndpoint).delete({ tenantId, id: endpoint.id });
    return endpoint;
  }

  /** A new secret; the old one keeps signing (as a second signature) for the grace period. */
  async rotateSecret(tenantId: string, id: string, gracePeriodSeconds = this.settings.secretGraceSeconds): Promise<EndpointWithSecret> {
    return this.dataSource.transaction(async (manager) => {
      const current = await endpointWithSecrets(manager, tenantId, isUuid(id) ? id : randomUUID());
      if (!current) throw new DomainError('NOT_FOUND', 'Webhook endpoint not found');
      const secret = generateWebhookSecret();
      const previousSecretExpiresAt = new Date(Date.now() + gracePeriodSeconds * 1000);
      await manager.getRepository(WebhookEndpoint).update({ tenantId, id: current.id }, { secret, previousSecret: current.secret, previousSecretExpiresAt });
      return { endpoint: (await manager.getRepository(WebhookEndpoint).findOneBy({ tenantId, id: current.id }))!, secret, previousSecretExpiresAt };
    });
  }

  async deliveries(tenantId: string, endpointId: string, args: ListArgs): Promise<Page<WebhookDelivery>> {
    const endpoint = await this.get(tenantId, endpointId);
    return listPage(this.dataSource.getRepository(WebhookDelivery), tenantId, args, WEBHOOK_DELIVERY_LIST, (query, alias) =>
      query.andWhere(`${alias}.endpointId = :endpointId`, { endpointId: endpoint.id }),
    );
  }

  /** Queues one more attempt of a delivery that did not succeed (400 cannot_retry when it did, or is already queued). */
  async retry(tenantId: string, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    const endpoint = await this.get(tenantId, endpointId);
    return this.dataSource.transaction(async (manager) => {
      const [rows] = isUuid(deliveryId)
        ? await manager.query(
            `UPDATE tenancy.webhook_deliveries SET status = 'pending', next_retry_at = NULL, updated_at = now()
             WHERE tenant_id = $1 AND endpoint_id = $2 AND id = $3 AND status IN ('failed', 'retrying') RETURNING id`,
            [tenantId, endpoint.id, deliveryId],
          )
        : [[]];
      if (!rows.length) {
        const exists = isUuid(deliveryId) && (await manager.getRepository(WebhookDelivery).existsBy({ tenantId, endpointId: endpoint.id, id: deliveryId }));
        if (!exists) throw new DomainError('NOT_FOUND', 'Webhook delivery not found');
        throw new DomainError(TenancyErrors.CANNOT_RETRY);
      }
      await queueAttempt(manager, this.settings, tenantId, deliveryId);
      return manager.getRepository(WebhookDelivery).findOneByOrFail({ tenantId, id: deliveryId });
    });
  }

  /** Sends a `webhook.test` event now and reports what the endpoint answered (nothing is stored). */
  async test(tenantId: string, id: string): Promise<AttemptResult> {
    const endpoint = await endpointWithSecrets(this.dataSource.manager, tenantId, (await this.get(tenantId, id)).id);
    const body = webhookBody('webhook.test', new Date(), { endpointId: endpoint!.id });
    return postWebhook({
      url: endpoint!.url,
      headers: signedHeaders(`msg_test_${randomUUID().replace(/-/g, '')}`, body, signingSecrets(endpoint!)),
      body,
      timeoutMs: this.settings.timeoutMs,
      policy: { allowPrivateNetworks: this.settings.allowPrivateNetworks },
    });
  }
}
