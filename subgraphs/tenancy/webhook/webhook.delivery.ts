import type { DataSource, EntityManager } from 'typeorm';
import type { WebhookSettings } from '../../../src/config';
import { emit, publishDirect } from '../../../src/events/outbox';
import { sendJob } from '../../../src/events/jobs';
import { postWebhook, type AttemptResult } from './webhook.http';
import { signedHeaders } from './webhook.signing';
import { WebhookDelivery, type DeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookDeliveryAttempted, WebhookEndpointDisabled } from './webhook.events';
import { DeliverWebhook, deliveryJobOptions } from './webhook.jobs';

/** Longest wait a receiver's Retry-After may ask for. */
const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

/** The body every endpoint receives for an event (Standard Webhooks' recommended shape). */
export function webhookBody(type: string, timestamp: Date, data: unknown): string {
  return JSON.stringify({ type, timestamp: timestamp.toISOString(), data });
}

/** The secrets deliveries are signed with now: the current one, and the previous one during its grace period. */
export function signingSecrets(endpoint: Pick<WebhookEndpoint, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>, now = new Date()): string[] {
  const previousValid = endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  return previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** Loads an endpoint with its secrets (never selected otherwise). */
export function endpointWithSecrets(manager: EntityManager, tenantId: string, id: string): Promise<WebhookEndpoint | null> {
  return manager
    .getRepository(WebhookEndpoint)
    .createQueryBuilder('e')
    .addSelect(['e.secret', 'e.previousSecret'])
    .where('e.id = :id AND e.tenant_id = :tenantId', { id, tenantId })
    .getOne();
}

/** Queues the next attempt of a delivery (in the caller's transaction). */
export function queueAttempt(manager: EntityManager, settings: Pick<WebhookSettings, 'timeoutMs'>, tenantId: string, deliveryId: string, at?: Date): Promise<void> {
  return sendJob(manager, DeliverWebhook.queue, { tenantId, deliveryId }, deliveryJobOptions(settings), undefined, at);
}

/**
 * Makes one attempt of a delivery and records its outcome: success (2xx), a retry on the
 * schedule (later if the receiver's Retry-After asks), or failure when the schedule is spent.
 * 410 Gone disables the endpoint, and so does failing without a success for `disableAfterSeconds`.
 */
export class WebhookDeliverer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: WebhookSettings,
  ) {}

  async deliver(tenantId: string, deliveryId: string): Promise<void> {
    const manager = this.dataSource.manager;
    const delivery = await manager.getRepository(WebhookDelivery).findOneBy({ tenantId, id: deliveryId });
    if (!delivery || delivery.status === 'success' || delivery.status === 'failed') return;
    const endpoint = await endpointWithSecrets(manager, tenantId, delivery.endpointId);
    if (!endpoint) return; // deleted: its deliveries went with it
    if (!endpoint.isActive) {
      await this.record(delivery, endpoint, { success: false, error: 'Endpoint is disabled', durationMs: 0 }, false);
      return;
    }
    const body = webhookBody(delivery.eventType, delivery.eventCreatedAt, delivery.payload);
    const result = await postWebhook({
      url: endpoint.url,
      headers: signedHeaders(delivery.eventId, body, signingSecrets(endpoint)),
      body,
      timeoutMs: this.settings.timeoutMs,
      policy: { allowPrivateNetworks: this.settings.allowPrivateNetworks },
    });
    await this.record(delivery, endpoint, result, true);
  }

  private nextAttemptAt(attemptsMade: number, result: AttemptResult): Date | null {
    const schedule = this.settings.retryScheduleSeconds;
    if (attemptsMade >= schedule.length) return null;
    const jitter = 0.8 + Math.random() * 0.4; // ±20%, so endpoints that failed together do not retry together
    const seconds = Math.max(schedule[attemptsMade] * jitter, Math.min(result.retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS));
    return new Date(Date.now() + seconds * 1000);
  }

  private async record(delivery: WebhookDelivery, endpoint: WebhookEndpoint, result: AttemptResult, attempted: boolean): Promise<void> {
    const attempt = delivery.attempt + (attempted ? 1 : 0);
    await this.dataSource.transaction(async (manager) => {
      let disabledReason: string | undefined;
      let status: DeliveryStatus;
      let nextRetryAt: Date | null = null;
      if (result.success) status = 'success';
      else {
        if (result.statusCode === 410) disabledReason = 'The endpoint answered 410 Gone';
        else if (attempted) disabledReason = await this.failingTooLong(manager, endpoint);
        nextRetryAt = disabledReason || !attempted ? null : this.nextAttemptAt(attempt, result);
        status = nextRetryAt ? 'retrying' : 'failed';
      }
      // Only the attempt that read this state records it: a duplicate job of the same attempt changes nothing.
      const [updated] = await manager.query(
        `UPDATE tenancy.webhook_deliveries SET status = $3, attempt = $4, response_code = $5, response_body = $6, error = $7,
           next_retry_at = $8, delivered_at = CASE WHEN $3 = 'success' THEN now() ELSE delivered_at END, updated_at = now()
         WHERE tenant_id = $1 AND id = $2 AND attempt = $9 AND status IN ('pending', 'retrying') RETURNING id`,
        [delivery.tenantId, delivery.id, status, attempt, result.statusCode ?? null, result.responseBody ?? null, result.error ?? null, nextRetryAt, delivery.attempt],
      );
      if (!updated.length) return; // TypeORM answers an UPDATE with [rows, count]
      if (nextRetryAt) await queueAttempt(manager, this.settings, delivery.tenantId, delivery.id, nextRetryAt);
      await publishDirect(manager, WebhookDeliveryAttempted, delivery.tenantId, {
        deliveryId: delivery.id,
        endpointId: endpoint.id,
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        status,
        attempt,
        responseCode: result.statusCode ?? null,
        error: result.error ?? null,
        nextRetryAt: nextRetryAt?.toISOString() ?? null,
        attemptedAt: new Date().toISOString(),
      });
      // Last, just before the commit: every delivery to the endpoint updates its row, so its lock is held as briefly as possible.
      if (attempted) await this.countOutcome(manager, endpoint, result.success);
      if (disabledReason) await this.disable(manager, endpoint, disabledReason);
    });
  }

  private async countOutcome(manager: EntityManager, endpoint: WebhookEndpoint, success: boolean): Promise<void> {
    await manager.query(
      success
        ? `UPDATE tenancy.webhook_endpoints SET success_count = success_count + 1, consecutive_failures = 0, failing_since = NULL, last_delivery_at = now() WHERE id = $1`
        : `UPDATE tenancy.webhook_endpoints SET failure_count = failure_count + 1, consecutive_failures = consecutive_failures + 1,
             failing_since = coalesce(failing_since, now()), last_delivery_at = now() WHERE id = $1`,
      [endpoint.id],
    );
  }

  /** Why the endpoint should be disabled now that this attempt failed too, if it has failed without a success for too long. */
  private async failingTooLong(manager: EntityManager, endpoint: WebhookEndpoint): Promise<string | undefined> {
    const [row] = await manager.query(`SELECT failing_since FROM tenancy.webhook_endpoints WHERE id = $1`, [endpoint.id]);
    const since: Date | null = row?.failing_since ?? null;
    if (!since || Date.now() - since.getTime() < this.settings.disableAfterSeconds * 1000) return undefined;
    return `Failing since ${since.toISOString()} without a successful delivery`;
  }

  private async disable(manager: EntityManager, endpoint: WebhookEndpoint, reason: string): Promise<void> {
    const [rows] = await manager.query(
      `UPDATE tenancy.webhook_endpoints SET is_active = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND is_active RETURNING id`,
      [endpoint.id, reason],
    );
    if (rows?.length) await emit(manager, WebhookEndpointDisabled, endpoint.tenantId, { endpointId: endpoint.id, reason });
  }
}
