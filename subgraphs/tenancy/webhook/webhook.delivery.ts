import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import type { WebhookSettings } from '../../../src/config';
import { rowsOf } from '../../../src/db/sql-runner';
import { WriteBatcher } from '../../../src/db/write-batcher';
import { emit, publishDirectMany } from '../../../src/events/outbox';
import { sendJob } from '../../../src/events/jobs';
import { postWebhook, type AttemptResult } from './webhook.http';
import { signedHeaders } from './webhook.signing';
import type { DeliveryStatus } from './webhook-delivery.entity';
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

/** What one attempt needs: the delivery as it stands and its endpoint with the signing secrets. */
interface DeliveryTarget {
  delivery: { id: string; tenantId: string; eventId: string; eventType: string; payload: unknown; eventCreatedAt: Date; status: DeliveryStatus; attempt: number };
  endpoint: Pick<WebhookEndpoint, 'id' | 'tenantId' | 'url' | 'isActive' | 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>;
}

/** An attempt's result, to be recorded (`attempted` is false when the endpoint was disabled and nothing was sent). */
interface AttemptOutcome extends DeliveryTarget {
  result: AttemptResult;
  attempted: boolean;
}

/** An outcome with what it decides: the delivery's new status, its next attempt, whether the endpoint goes off. */
interface DecidedOutcome extends AttemptOutcome {
  status: DeliveryStatus;
  attemptNumber: number;
  nextRetryAt: Date | null;
  disabledReason?: string;
}

const deliveryKey = ({ tenantId, deliveryId }: { tenantId: string; deliveryId: string }) => `${tenantId}/${deliveryId}`;

/**
 * Makes one attempt of a delivery and records its outcome: success (2xx), a retry on the
 * schedule (later if the receiver's Retry-After asks), or failure when the schedule is spent.
 * 410 Gone disables the endpoint, and so does failing without a success for `disableAfterSeconds`.
 *
 * A worker runs a fetched batch of jobs at once, so the attempts share their SQL: their targets
 * load in one statement (DataLoader), and their outcomes are written together in one
 * transaction (WriteBatcher): one statement for the deliveries, one for the live events, one for
 * the endpoints' counters, whatever the batch's size.
 */
export class WebhookDeliverer {
  private readonly targets = new DataLoader((keys: readonly { tenantId: string; deliveryId: string }[]) => this.loadTargets(keys), {
    cache: false, // each attempt must see the delivery as it is now
    cacheKeyFn: deliveryKey,
  });
  private readonly outcomes = new WriteBatcher<AttemptOutcome>((outcomes) => this.recordAll(outcomes));

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: WebhookSettings,
  ) {}

  async deliver(tenantId: string, deliveryId: string): Promise<void> {
    const target = await this.targets.load({ tenantId, deliveryId });
    if (!target) return; // gone with its endpoint
    const { delivery, endpoint } = target;
    if (delivery.status === 'success' || delivery.status === 'failed') return;
    if (!endpoint.isActive) {
      await this.outcomes.add({ ...target, result: { success: false, error: 'Endpoint is disabled', durationMs: 0 }, attempted: false });
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
    await this.outcomes.add({ ...target, result, attempted: true });
  }

  /** The deliveries of `keys` with their endpoints, in the keys' order (null for one that is gone). */
  private async loadTargets(keys: readonly { tenantId: string; deliveryId: string }[]): Promise<Array<DeliveryTarget | null>> {
    const rows = rowsOf(
      await this.dataSource.query(
        `SELECT d.id, d.tenant_id, d.event_id, d.event_type, d.payload, d.event_created_at, d.status, d.attempt,
                e.id AS endpoint_id, e.url, e.is_active, e.secret, e.previous_secret, e.previous_secret_expires_at
         FROM unnest($1::uuid[], $2::uuid[]) AS k(tenant_id, id)
         JOIN tenancy.webhook_deliveries d ON d.tenant_id = k.tenant_id AND d.id = k.id
         JOIN tenancy.webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id`,
        [keys.map((key) => key.tenantId), keys.map((key) => key.deliveryId)],
      ),
    );
    const byKey = new Map<string, DeliveryTarget>();
    for (const row of rows) {
      byKey.set(deliveryKey({ tenantId: row.tenant_id, deliveryId: row.id }), {
        delivery: {
          id: row.id,
          tenantId: row.tenant_id,
          eventId: row.event_id,
          eventType: row.event_type,
          payload: row.payload,
          eventCreatedAt: row.event_created_at,
          status: row.status,
          attempt: row.attempt,
        },
        endpoint: {
          id: row.endpoint_id,
          tenantId: row.tenant_id,
          url: row.url,
          isActive: row.is_active,
          secret: row.secret,
          previousSecret: row.previous_secret,
          previousSecretExpiresAt: row.previous_secret_expires_at,
        },
      });
    }
    return keys.map((key) => byKey.get(deliveryKey(key)) ?? null);
  }

  private nextAttemptAt(attemptsMade: number, result: AttemptResult): Date | null {
    const schedule = this.settings.retryScheduleSeconds;
    if (attemptsMade >= schedule.length) return null;
    const jitter = 0.8 + Math.random() * 0.4; // ±20%, so endpoints that failed together do not retry together
    const seconds = Math.max(schedule[attemptsMade] * jitter, Math.min(result.retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS));
    return new Date(Date.now() + seconds * 1000);
  }

  /** What an outcome decides, given since when its endpoint has been failing (before this batch). */
  private decide(outcome: AttemptOutcome, failingSince: ReadonlyMap<string, Date>): DecidedOutcome {
    const { delivery, endpoint, result, attempted } = outcome;
    const attemptNumber = delivery.attempt + (attempted ? 1 : 0);
    if (result.success) return { ...outcome, status: 'success', attemptNumber, nextRetryAt: null };
    let disabledReason: string | undefined;
    if (result.statusCode === 410) disabledReason = 'The endpoint answered 410 Gone';
    else if (attempted) disabledReason = this.failingTooLong(failingSince.get(endpoint.id));
    const nextRetryAt = disabledReason || !attempted ? null : this.nextAttemptAt(attemptNumber, result);
    return { ...outcome, status: nextRetryAt ? 'retrying' : 'failed', attemptNumber, nextRetryAt, disabledReason };
  }

  /** Why an endpoint failing since `since` should be disabled now that one more attempt failed, if it has failed too long. */
  private failingTooLong(since: Date | undefined): string | undefined {
    if (!since || Date.now() - since.getTime() < this.settings.disableAfterSeconds * 1000) return undefined;
    return `Failing since ${since.toISOString()} without a successful delivery`;
  }

  private async recordAll(outcomes: AttemptOutcome[]): Promise<void> {
    // A job run twice (its first run presumed lost) may report twice in one batch: the first counts.
    const seen = new Set<string>();
    const unique = outcomes.filter(({ delivery }) => !seen.has(delivery.id) && seen.add(delivery.id));
    await this.dataSource.transaction(async (manager) => {
      const failedAttempts = unique.filter(({ attempted, result }) => attempted && !result.success && result.statusCode !== 410);
      const since = failedAttempts.length ? await this.failingSince(manager, failedAttempts.map(({ endpoint }) => endpoint.id)) : new Map<string, Date>();
      const decided = unique.map((outcome) => this.decide(outcome, since));
      const recorded = await this.updateDeliveries(manager, decided);
      for (const outcome of recorded) {
        if (outcome.nextRetryAt) await queueAttempt(manager, this.settings, outcome.delivery.tenantId, outcome.delivery.id, outcome.nextRetryAt);
      }
      const attemptedAt = new Date().toISOString();
      await publishDirectMany(
        manager,
        WebhookDeliveryAttempted,
        recorded.map(({ delivery, endpoint, result, status, attemptNumber, nextRetryAt }) => ({
          tenantId: delivery.tenantId,
          payload: {
            deliveryId: delivery.id,
            endpointId: endpoint.id,
            eventId: delivery.eventId,
            eventType: delivery.eventType,
            status,
            attempt: attemptNumber,
            responseCode: result.statusCode ?? null,
            error: result.error ?? null,
            nextRetryAt: nextRetryAt?.toISOString() ?? null,
            attemptedAt,
          },
        })),
      );
      // Last, just before the commit: every delivery to an endpoint updates its row, so its lock is held as briefly as possible.
      await this.countOutcomes(manager, recorded.filter((outcome) => outcome.attempted));
      for (const outcome of recorded) if (outcome.disabledReason) await this.disable(manager, outcome.endpoint, outcome.disabledReason);
    });
  }

  /** Since when each of these endpoints has been failing without a success (those that are). */
  private async failingSince(manager: EntityManager, endpointIds: string[]): Promise<Map<string, Date>> {
    const rows = rowsOf(
      await manager.query(`SELECT id, failing_since FROM tenancy.webhook_endpoints WHERE id = ANY($1::uuid[]) AND failing_since IS NOT NULL`, [[...new Set(endpointIds)]]),
    );
    return new Map(rows.map((row) => [row.id, row.failing_since]));
  }

  /**
   * Records the outcomes on their deliveries in one statement; answers those recorded. Only the
   * attempt that read a delivery's state records it: a duplicate job of the same attempt changes nothing.
   */
  private async updateDeliveries(manager: EntityManager, decided: DecidedOutcome[]): Promise<DecidedOutcome[]> {
    const column = <T>(pick: (outcome: DecidedOutcome) => T) => decided.map(pick);
    const [rows] = await manager.query(
      `UPDATE tenancy.webhook_deliveries d SET status = o.status, attempt = o.attempt, response_code = o.response_code, response_body = o.response_body,
         error = o.error, next_retry_at = o.next_retry_at, delivered_at = CASE WHEN o.status = 'success' THEN now() ELSE d.delivered_at END, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::timestamptz[], $9::int[])
         AS o(tenant_id, id, status, attempt, response_code, response_body, error, next_retry_at, read_attempt)
       WHERE d.tenant_id = o.tenant_id AND d.id = o.id AND d.attempt = o.read_attempt AND d.status IN ('pending', 'retrying')
       RETURNING d.id`, // TypeORM answers an UPDATE with [rows, count]
      [
        column((o) => o.delivery.tenantId),
        column((o) => o.delivery.id),
        column((o) => o.status),
        column((o) => o.attemptNumber),
        column((o) => o.result.statusCode ?? null),
        column((o) => o.result.responseBody ?? null),
        column((o) => o.result.error ?? null),
        column((o) => o.nextRetryAt),
        column((o) => o.delivery.attempt),
      ],
    );
    const updated = new Set((rows as Array<{ id: string }>).map(({ id }) => id));
    return decided.filter((outcome) => updated.has(outcome.delivery.id));
  }

  /**
   * Adds the attempts to their endpoints' counters in one statement. The rows are locked in id
   * order first, so two processes recording for the same endpoints cannot deadlock.
   */
  private async countOutcomes(manager: EntityManager, attempts: DecidedOutcome[]): Promise<void> {
    const counts = new Map<string, { successes: number; failures: number; succeeded: boolean; trailingFailures: number }>();
    for (const { endpoint, result } of attempts) {
      const count = counts.get(endpoint.id) ?? { successes: 0, failures: 0, succeeded: false, trailingFailures: 0 };
      if (result.success) Object.assign(count, { successes: count.successes + 1, succeeded: true, trailingFailures: 0 });
      else Object.assign(count, { failures: count.failures + 1, trailingFailures: count.trailingFailures + 1 });
      counts.set(endpoint.id, count);
    }
    if (!counts.size) return;
    const entries = [...counts];
    // `succeeded`: a success in this batch resets the run of failures to those after it.
    await manager.query(
      `UPDATE tenancy.webhook_endpoints e SET success_count = e.success_count + c.successes, failure_count = e.failure_count + c.failures,
         consecutive_failures = CASE WHEN c.succeeded THEN c.trailing_failures ELSE e.consecutive_failures + c.trailing_failures END,
         failing_since = CASE WHEN c.trailing_failures = 0 THEN NULL WHEN c.succeeded THEN now() ELSE coalesce(e.failing_since, now()) END,
         last_delivery_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::int[], $4::bool[], $5::int[]) AS c(id, successes, failures, succeeded, trailing_failures),
            (SELECT id FROM tenancy.webhook_endpoints WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE) AS locked
       WHERE e.id = c.id AND locked.id = c.id`,
      [
        entries.map(([id]) => id),
        entries.map(([, c]) => c.successes),
        entries.map(([, c]) => c.failures),
        entries.map(([, c]) => c.succeeded),
        entries.map(([, c]) => c.trailingFailures),
      ],
    );
  }

  private async disable(manager: EntityManager, endpoint: DeliveryTarget['endpoint'], reason: string): Promise<void> {
    const [rows] = await manager.query(
      `UPDATE tenancy.webhook_endpoints SET is_active = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND is_active RETURNING id`,
      [endpoint.id, reason],
    );
    if (rows?.length) await emit(manager, WebhookEndpointDisabled, endpoint.tenantId, { endpointId: endpoint.id, reason });
  }
}
