import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { eventually, rest } from '../helpers/client';
import { makeApiKey } from '../helpers/factory';
import { emit } from '../../src/events/outbox';
import { ApiKeyCreated } from '../../subgraphs/tenancy/api-key/api-key.events';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { answer, Receiver, type ReceivedRequest } from './receiver';

interface Endpoint {
  id: string;
  secret: string;
}

/**
 * /api/v1/webhooks (000_… "Webhooks") through the router, delivering real events to a scripted
 * receiver on loopback. The suite's platform runs with WEBHOOK_ALLOW_PRIVATE_NETWORKS, a retry
 * schedule of 0, 1, 1 seconds and a 1.5 s timeout (test/helpers/global.ts).
 */
describe('/api/v1/webhooks', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let other: TestTenant;
  let receiver: Receiver;
  let db: Client;

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
    receiver = await new Receiver().start();
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(async () => {
    await receiver.stop();
    await db.end();
  });

  const disabledEvents = async (endpointId: string) =>
    (await db.query(`SELECT payload FROM platform.outbox WHERE tenant_id = $1 AND type = 'webhook.endpoint.disabled' AND payload->>'endpointId' = $2`, [tenant.tenant_id, endpointId]))
      .rows.map((r) => r.payload.reason);

  const asTenant = () => ({ bearer: tenant.secret_key });

  async function createEndpoint(path: string, events = ['api_key.*'], extra: Record<string, unknown> = {}): Promise<Endpoint> {
    const created = await rest('POST', '/api/v1/webhooks', { url: receiver.url(path), events, ...extra }, asTenant());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.data;
  }

  /** Causes one `api_key.created` event of the tenant. */
  async function causeEvent(): Promise<string> {
    const created = await rest('POST', '/api/v1/api-keys', { name: `hook-${randomUUID().slice(0, 6)}`, scopes: ['users:read'] }, asTenant());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.data.id;
  }

  const deliveries = async (endpointId: string, query = '') => {
    const listed = await rest('GET', `/api/v1/webhooks/${endpointId}/deliveries${query}`, undefined, asTenant());
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    return listed.body.data as Array<Record<string, any>>;
  };

  const verify = (secret: string, request: ReceivedRequest) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as any;

  it('creates, reads, lists, updates and deletes an endpoint; the secret is shown only at creation', async () => {
    const created = await rest('POST', '/api/v1/webhooks', { url: receiver.url('/crud'), events: ['organization.*', 'api_key.created'] }, asTenant());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.message, 'Webhook endpoint created successfully.');
    const data = created.body.data;
    assert.match(data.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.deepEqual([data.url, data.events, data.is_active], [receiver.url('/crud'), ['organization.*', 'api_key.created'], true]);

    const got = await rest('GET', `/api/v1/webhooks/${data.id}`, undefined, asTenant());
    assert.equal(got.status, 200);
    assert.deepEqual(
      [got.body.data.success_count, got.body.data.failure_count, got.body.data.consecutive_failures, got.body.data.last_delivery_at, got.body.data.secret],
      [0, 0, 0, null, undefined],
    );
    const listed = await rest('GET', '/api/v1/webhooks?per_page=100', undefined, asTenant());
    assert.equal(listed.status, 200);
    assert.ok(listed.body.data.some((e: { id: string }) => e.id === data.id));
    assert.equal(listed.body.meta.per_page, 100);

    const updated = await rest('PATCH', `/api/v1/webhooks/${data.id}`, { events: ['post.*'], is_active: false }, asTenant());
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.deepEqual([updated.body.data.events, updated.body.data.is_active], [['post.*'], false]);

    assert.equal((await rest('DELETE', `/api/v1/webhooks/${data.id}`, undefined, asTenant())).status, 204);
    assert.equal((await rest('GET', `/api/v1/webhooks/${data.id}`, undefined, asTenant())).status, 404);
  });

  it('keeps the secret given at creation and refuses malformed input with 422s naming the field', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    assert.equal((await createEndpoint('/given', ['api_key.created'], { secret })).secret, secret);
    const bad = async (body: Record<string, unknown>, field: string) => {
      const answer = await rest('POST', '/api/v1/webhooks', body, asTenant());
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      assert.ok(answer.body.errors[field], JSON.stringify(answer.body));
    };
    await bad({ url: receiver.url('/x'), events: [] }, 'events');
    await bad({ url: receiver.url('/x'), events: ['Not An Event'] }, 'events');
    await bad({ url: 'http://169.254.169.254/latest/meta-data/', events: ['*'] }, 'url');
    await bad({ url: 'http://2852039166/', events: ['*'] }, 'url');
    await bad({ url: 'ftp://example.com/', events: ['*'] }, 'url');
    await bad({ url: receiver.url('/x'), events: ['*'], secret: 'plain' }, 'secret');
    await bad({ events: ['*'] }, 'url');
  });

  it('is per workspace: another tenant’s endpoints and deliveries are 404s and never listed', async () => {
    const endpoint = await createEndpoint('/isolated');
    const asOther = { bearer: other.secret_key };
    for (const [method, path] of [
      ['GET', `/api/v1/webhooks/${endpoint.id}`],
      ['PATCH', `/api/v1/webhooks/${endpoint.id}`],
      ['DELETE', `/api/v1/webhooks/${endpoint.id}`],
      ['POST', `/api/v1/webhooks/${endpoint.id}/test`],
      ['POST', `/api/v1/webhooks/${endpoint.id}/rotate-secret`],
      ['GET', `/api/v1/webhooks/${endpoint.id}/deliveries`],
      ['POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${randomUUID()}/retry`],
    ]) {
      const answer = await rest(method, path, method === 'PATCH' ? { is_active: false } : undefined, asOther);
      assert.equal(answer.status, 404, `${method} ${path}: ${JSON.stringify(answer.body)}`);
    }
    const listed = await rest('GET', '/api/v1/webhooks', undefined, asOther);
    assert.equal(listed.body.data.some((e: { id: string }) => e.id === endpoint.id), false);
    assert.equal(receiver.at('/isolated').length, 0, 'another tenant’s test call reached no receiver');
  });

  it('requires webhooks:read, webhooks:write and webhooks:delete as documented', async () => {
    const endpoint = await createEndpoint('/scopes');
    const readOnly = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['webhooks:read'] });
    const asReader = { bearer: readOnly };
    assert.equal((await rest('GET', `/api/v1/webhooks/${endpoint.id}`, undefined, asReader)).status, 200);
    const denied = await rest('POST', '/api/v1/webhooks', { url: receiver.url('/x'), events: ['*'] }, asReader);
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, { error: 'access_denied', message: 'Insufficient permissions. Required scope: webhooks:write' });
    const writer = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['webhooks:write'] });
    const noDelete = await rest('DELETE', `/api/v1/webhooks/${endpoint.id}`, undefined, { bearer: writer });
    assert.equal(noDelete.status, 403);
    assert.match(noDelete.body.message, /webhooks:delete/);
  });

  it('delivers each event of the subscribed types once, signed (verified with standardwebhooks), with the event id as webhook-id', async () => {
    const endpoint = await createEndpoint('/signed', ['api_key.*']);
    const unrelated = await createEndpoint('/unrelated', ['organization.*']);
    const apiKeyId = await causeEvent();
    const [request] = await eventually(async () => (receiver.at('/signed').length ? receiver.at('/signed') : undefined));
    const message = verify(endpoint.secret, request);
    assert.equal(message.type, 'api_key.created');
    assert.equal(message.data.apiKeyId, apiKeyId);
    assert.match(request.headers['webhook-id'] as string, /^evt_[0-9a-f]{32}$/);
    assert.match(request.headers['webhook-signature'] as string, /^v1,[A-Za-z0-9+/]+=*$/);

    const [delivery] = await eventually(async () => {
      const list = await deliveries(endpoint.id);
      return list[0]?.status === 'success' ? list : undefined;
    });
    assert.deepEqual(
      [delivery.event_id, delivery.event_type, delivery.response_code, delivery.attempt, delivery.response_body],
      [request.headers['webhook-id'], 'api_key.created', 200, 1, '{"received": true}'],
    );
    assert.ok(Date.parse(delivery.delivered_at));
    const got = (await rest('GET', `/api/v1/webhooks/${endpoint.id}`, undefined, asTenant())).body.data;
    assert.deepEqual([got.success_count, got.failure_count, got.consecutive_failures], [1, 0, 0]);
    assert.equal(receiver.at('/unrelated').length, 0);
    assert.deepEqual(await deliveries(unrelated.id), []);
  });

  it('retries a 500 on the schedule with the same webhook-id until a 2xx: retrying, then success', async () => {
    receiver.script('/flaky', answer.status(500, 'boom'), answer.status(200, 'ok'));
    const endpoint = await createEndpoint('/flaky');
    await causeEvent();
    const retrying = await eventually(async () => (await deliveries(endpoint.id, '?status=retrying'))[0]);
    assert.deepEqual([retrying.response_code, retrying.attempt, retrying.response_body], [500, 1, 'boom']);
    assert.ok(Date.parse(retrying.next_retry_at) > Date.parse(retrying.created_at));
    const done = await eventually(async () => (await deliveries(endpoint.id, '?status=success'))[0]);
    assert.deepEqual([done.response_code, done.attempt, done.next_retry_at], [200, 2, null]);
    const attempts = receiver.at('/flaky');
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0].headers['webhook-id'], attempts[1].headers['webhook-id']);
    for (const attempt of attempts) verify(endpoint.secret, attempt);
    const got = (await rest('GET', `/api/v1/webhooks/${endpoint.id}`, undefined, asTenant())).body.data;
    assert.deepEqual([got.success_count, got.failure_count, got.consecutive_failures], [1, 1, 0]);
  });

  it('a redirect is a failure and is not followed; the schedule runs out into failed; retry queues one more attempt', async () => {
    receiver.script('/redirect', ...Array(3).fill(answer.status(302, '', { location: receiver.url('/redirect-target') })));
    const endpoint = await createEndpoint('/redirect');
    await causeEvent();
    const failed = await eventually(async () => (await deliveries(endpoint.id, '?status=failed'))[0], 20_000);
    assert.deepEqual([failed.response_code, failed.attempt], [302, 3]);
    assert.equal(receiver.at('/redirect').length, 3);
    assert.equal(receiver.at('/redirect-target').length, 0);
    assert.equal((await rest('GET', `/api/v1/webhooks/${endpoint.id}`, undefined, asTenant())).body.data.consecutive_failures, 3);

    const retried = await rest('POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${failed.id}/retry`, undefined, asTenant());
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.deepEqual(retried.body, { message: 'Delivery queued for retry.', data: { id: failed.id, status: 'pending', attempt: 4 } });
    const done = await eventually(async () => (await deliveries(endpoint.id, '?status=success'))[0]);
    assert.equal(done.attempt, 4);
    const again = await rest('POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${failed.id}/retry`, undefined, asTenant());
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'cannot_retry');
    const unknown = await rest('POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${randomUUID()}/retry`, undefined, asTenant());
    assert.equal(unknown.status, 404);
  });

  it('a receiver that hangs past the timeout, or sends its body too slowly, fails the attempt', async () => {
    receiver.script('/hang', answer.hang(), answer.slowBody());
    const endpoint = await createEndpoint('/hang');
    await causeEvent();
    const first = await eventually(async () => (await deliveries(endpoint.id, '?status=retrying'))[0]);
    assert.equal(first.response_code, null);
    assert.match(first.error, /Timed out after 1500 ms/);
    const second = await eventually(async () => {
      const [d] = await deliveries(endpoint.id);
      return d.attempt === 2 ? d : undefined;
    });
    assert.equal(second.status, 'retrying');
    assert.equal(second.response_code, 200, 'the status arrived, the body did not');
    assert.match(second.error, /Timed out/);
  });

  it('410 Gone disables the endpoint at once and records a webhook.endpoint.disabled event', async () => {
    receiver.script('/gone', answer.status(410));
    const endpoint = await createEndpoint('/gone');
    await causeEvent();
    const failed = await eventually(async () => (await deliveries(endpoint.id, '?status=failed'))[0]);
    assert.deepEqual([failed.response_code, failed.attempt], [410, 1]);
    const got = (await rest('GET', `/api/v1/webhooks/${endpoint.id}`, undefined, asTenant())).body.data;
    assert.deepEqual([got.is_active, got.disabled_reason], [false, 'The endpoint answered 410 Gone']);
    assert.deepEqual(await disabledEvents(endpoint.id), ['The endpoint answered 410 Gone']);
    const disabled = await rest('GET', '/api/v1/webhooks?status=disabled&per_page=100', undefined, asTenant());
    assert.ok(disabled.body.data.some((e: { id: string }) => e.id === endpoint.id));
    // A disabled endpoint receives nothing more.
    const seen = receiver.at('/gone').length;
    await causeEvent();
    const watcher = await createEndpoint('/after-gone');
    await causeEvent();
    await eventually(async () => (receiver.at('/after-gone').length ? true : undefined));
    assert.equal(receiver.at('/gone').length, seen);
    assert.ok(watcher.id);
  });

  it('an endpoint failing without a success for longer than WEBHOOK_DISABLE_AFTER_SECONDS is disabled with an event; re-enabling starts afresh', async () => {
    receiver.script('/failing', answer.status(500), answer.status(500));
    const endpoint = await createEndpoint('/failing');
    await causeEvent();
    await eventually(async () => (await deliveries(endpoint.id, '?status=retrying'))[0]);
    // Its failures began six days ago (the default limit is five): the next failed attempt disables it.
    await db.query(`UPDATE tenancy.webhook_endpoints SET failing_since = now() - interval '6 days' WHERE id = $1`, [endpoint.id]);
    const failed = await eventually(async () => (await deliveries(endpoint.id, '?status=failed'))[0]);
    assert.equal(failed.attempt, 2);
    const got = (await rest('GET', `/api/v1/webhooks/${endpoint.id}`, undefined, asTenant())).body.data;
    assert.equal(got.is_active, false);
    assert.match(got.disabled_reason, /^Failing since .* without a successful delivery$/);
    assert.equal((await disabledEvents(endpoint.id)).length, 1);
    const enabled = await rest('PATCH', `/api/v1/webhooks/${endpoint.id}`, { is_active: true }, asTenant());
    assert.deepEqual([enabled.body.data.is_active, enabled.body.data.disabled_reason, enabled.body.data.consecutive_failures], [true, null, 0]);
  });

  it('test sends a signed webhook.test event and reports the status code, time and body', async () => {
    receiver.script('/test-me', answer.status(200, '{"received": true}'), answer.status(503, 'down'));
    const endpoint = await createEndpoint('/test-me');
    const ok = await rest('POST', `/api/v1/webhooks/${endpoint.id}/test`, undefined, asTenant());
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual({ ...ok.body, response_time_ms: 0 }, { success: true, status_code: 200, response_time_ms: 0, response_body: '{"received": true}', error: null });
    assert.ok(Number.isInteger(ok.body.response_time_ms));
    assert.equal(verify(endpoint.secret, receiver.at('/test-me')[0]).type, 'webhook.test');
    const down = await rest('POST', `/api/v1/webhooks/${endpoint.id}/test`, undefined, asTenant());
    assert.deepEqual([down.status, down.body.success, down.body.status_code, down.body.response_body], [200, false, 503, 'down']);
  });

  it('rotating the secret signs with both secrets during the grace period', async () => {
    const endpoint = await createEndpoint('/rotate');
    const rotated = await rest('POST', `/api/v1/webhooks/${endpoint.id}/rotate-secret`, undefined, asTenant());
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const secret = rotated.body.data.secret;
    assert.notEqual(secret, endpoint.secret);
    assert.ok(Date.parse(rotated.body.data.previous_secret_expires_at) > Date.now() + 3_600_000);
    await causeEvent();
    const [request] = await eventually(async () => (receiver.at('/rotate').length ? receiver.at('/rotate') : undefined));
    assert.equal((request.headers['webhook-signature'] as string).split(' ').length, 2);
    verify(secret, request);
    verify(endpoint.secret, request);
  });

  it('a burst recorded in shared transactions counts every attempt, as one by one would: counters and statuses add up', async () => {
    // A tenant of its own, so no endpoint of the other tests takes these events.
    const burst = await createTenant();
    const as = { bearer: burst.secret_key };
    const endpointAt = async (path: string) => {
      const created = await rest('POST', '/api/v1/webhooks', { url: receiver.url(path), events: ['api_key.*'] }, as);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.data.id as string;
    };
    const events = 40;
    const attemptsEach = 3; // the suite's schedule (0, 1, 1): at once, then 1 s and 1 s later
    receiver.script('/burst-down', ...Array(events * attemptsEach).fill(answer.status(500, 'down')));
    const [up, down] = [await endpointAt('/burst-up'), await endpointAt('/burst-down')];
    // Committed together, as a busy workspace's writes are: the workers fetch and record them in batches.
    await db.query('BEGIN');
    for (let i = 0; i < events; i++) await emit(db, ApiKeyCreated, burst.tenant_id, { apiKeyId: randomUUID(), type: 'secret' });
    await db.query('COMMIT');
    const counters = async (id: string) => {
      const { rows } = await db.query(
        `SELECT success_count, failure_count, consecutive_failures, failing_since IS NOT NULL AS failing, is_active FROM tenancy.webhook_endpoints WHERE id = $1`,
        [id],
      );
      return rows[0];
    };
    const statuses = async (id: string) =>
      (await db.query(`SELECT status, attempt, count(*)::int AS n FROM tenancy.webhook_deliveries WHERE endpoint_id = $1 GROUP BY 1, 2 ORDER BY 1`, [id])).rows;
    await eventually(async () => ((await statuses(down))[0]?.status === 'failed' && (await statuses(down)).length === 1 ? true : undefined), 30_000);
    await eventually(async () => ((await statuses(up))[0]?.n === events ? true : undefined));
    assert.deepEqual(await statuses(up), [{ status: 'success', attempt: 1, n: events }]);
    assert.deepEqual(await statuses(down), [{ status: 'failed', attempt: attemptsEach, n: events }]);
    assert.deepEqual(await counters(up), { success_count: events, failure_count: 0, consecutive_failures: 0, failing: false, is_active: true });
    assert.deepEqual(await counters(down), {
      success_count: 0,
      failure_count: events * attemptsEach,
      consecutive_failures: events * attemptsEach,
      failing: true,
      is_active: true,
    });
    assert.equal(receiver.at('/burst-up').length, events);
    assert.equal(receiver.at('/burst-down').length, events * attemptsEach);
  });
});
