import assert from 'node:assert/strict';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { rest } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { answer, Receiver } from './receiver';

const DELIVERY_UPDATED = `subscription($endpointId: ID) {
  webhookDeliveryUpdated(endpointId: $endpointId) { deliveryId endpointId eventId eventType status attempt responseCode nextRetryAt }
}`;

function connect(secretKey: string): Client {
  return createClient({ url: testPlatform().routerUrl.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${secretKey}` }, retryAttempts: 0, lazy: true });
}

function collect(client: Client, variables: Record<string, unknown>) {
  const events: any[] = [];
  let failure: unknown;
  const dispose = client.subscribe({ query: DELIVERY_UPDATED, variables }, { next: (v) => void events.push(v.data?.webhookDeliveryUpdated), error: (e) => void (failure = e), complete: () => undefined });
  return { events, failure: () => failure, dispose };
}

async function until(holds: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!holds() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return holds();
}

/** `webhookDeliveryUpdated` through the router: every attempt of the endpoint's deliveries, to its own tenant only. */
describe('webhookDeliveryUpdated subscription', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let other: TestTenant;
  let receiver: Receiver;

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
    receiver = await new Receiver().start();
  });
  after(() => receiver.stop());

  const causeEvent = async () => assert.equal((await rest('POST', '/api/v1/api-keys', { name: 'live', scopes: ['users:read'] }, { bearer: tenant.secret_key })).status, 201);

  it('emits each attempt (status, response code, attempt, next retry) to the endpoint’s tenant only', async () => {
    const created = await rest('POST', '/api/v1/webhooks', { url: receiver.url('/live'), events: ['api_key.created'] }, { bearer: tenant.secret_key });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const endpointId = created.body.data.id;
    const client = connect(tenant.secret_key);
    const stranger = connect(other.secret_key);
    const mine = collect(client, { endpointId });
    const theirs = collect(stranger, {});
    try {
      // The gateway opens its upstream socket lazily: cause events until the first attempt is seen.
      const deadline = Date.now() + 30_000;
      while (mine.events.length === 0 && Date.now() < deadline) {
        assert.equal(mine.failure(), undefined);
        await causeEvent();
        await until(() => mine.events.length > 0, 500);
      }
      assert.ok(mine.events.length > 0, 'an attempt was seen');
      assert.deepEqual([mine.events[0].endpointId, mine.events[0].status, mine.events[0].responseCode, mine.events[0].attempt], [endpointId, 'success', 200, 1]);

      receiver.script('/live', answer.status(500));
      const seen = mine.events.length;
      await causeEvent();
      assert.ok(await until(() => mine.events.slice(seen).some((e) => e.status === 'retrying'), 10_000), JSON.stringify(mine.events));
      const retrying = mine.events.slice(seen).find((e) => e.status === 'retrying');
      assert.equal(retrying.responseCode, 500);
      assert.equal(retrying.attempt, 1);
      assert.ok(Date.parse(retrying.nextRetryAt) > Date.now() - 5000);
      assert.ok(await until(() => mine.events.some((e) => e.deliveryId === retrying.deliveryId && e.status === 'success'), 10_000));
      const success = mine.events.find((e) => e.deliveryId === retrying.deliveryId && e.status === 'success');
      assert.deepEqual([success.attempt, success.responseCode, success.nextRetryAt, success.eventId], [2, 200, null, retrying.eventId]);
      assert.deepEqual(theirs.events, [], 'another tenant saw none of these attempts');
      assert.equal(theirs.failure(), undefined);
    } finally {
      mine.dispose();
      theirs.dispose();
      await client.dispose();
      await stranger.dispose();
    }
  });
});
