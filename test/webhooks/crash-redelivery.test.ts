import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { eventually, rest } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { answer, Receiver, type ReceivedRequest } from './receiver';

/**
 * A process killed mid-delivery (issue #10): delivery jobs run in the tenancy subgraph's process
 * (the subgraph that owns them works its jobs). It is SIGKILLed while the receiver holds the
 * request open, a new one starts, and the delivery arrives again with the same `webhook-id`.
 * The suite's platform runs with a 1.5 s delivery timeout (a job active past it plus the
 * recording margin was lost) and pg-boss maintenance every second (test/helpers/global.ts).
 */
describe('webhook delivery survives a killed worker', function () {
  this.timeout(120_000);
  let tenant: TestTenant;
  let receiver: Receiver;
  let db: Client;

  before(async () => {
    tenant = await createTenant();
    receiver = await new Receiver().start();
    db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
  });
  after(async () => {
    await receiver.stop();
    await db.end();
  });

  const asTenant = () => ({ bearer: tenant.secret_key });
  const deliveryRow = async (endpointId: string) =>
    (await db.query(`SELECT status, attempt, event_id FROM tenancy.webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2`, [tenant.tenant_id, endpointId])).rows;

  it('SIGKILL while the receiver holds the request: a new process redelivers it, same webhook-id, signed', async () => {
    receiver.script('/crash', answer.hang()); // the first attempt never gets an answer; the next ones get 200
    const created = await rest('POST', '/api/v1/webhooks', { url: receiver.url('/crash'), events: ['api_key.created'] }, asTenant());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const endpoint = created.body.data as { id: string; secret: string };

    const first = receiver.next('/crash');
    const key = await rest('POST', '/api/v1/api-keys', { name: `crash-${randomUUID().slice(0, 6)}` }, asTenant());
    assert.equal(key.status, 201);
    const held = await first;
    // Killed while the attempt is in flight (well within its 1.5 s timeout): it never records an outcome.
    await testPlatform().running.crashAndRestart('tenancy', async () => {
      assert.deepEqual(
        (await deliveryRow(endpoint.id)).map((d) => [d.status, d.attempt]),
        [['pending', 0]],
      );
    });

    const again: ReceivedRequest = await eventually(async () => receiver.at('/crash')[1], 60_000);
    assert.equal(again.headers['webhook-id'], held.headers['webhook-id']);
    const verify = (request: ReceivedRequest) => new Webhook(endpoint.secret).verify(request.body, request.headers as Record<string, string>) as any;
    const [message, redelivered] = [verify(held), verify(again)];
    assert.deepEqual([message.type, message.data.apiKeyId], ['api_key.created', key.body.data.id]);
    assert.deepEqual(redelivered, message);

    // Recorded once, as the first attempt that got an answer, through the API of the restarted process.
    const delivery = await eventually(async () => {
      const listed = await rest('GET', `/api/v1/webhooks/${endpoint.id}/deliveries`, undefined, asTenant());
      return listed.body.data?.[0]?.status === 'success' ? listed.body.data[0] : undefined;
    });
    assert.deepEqual([delivery.event_id, delivery.attempt, delivery.response_code], [held.headers['webhook-id'], 1, 200]);
    assert.equal(receiver.at('/crash').length, 2);
  });
});
