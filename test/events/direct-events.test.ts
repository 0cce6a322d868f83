import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { createEventDecoder, encodeEvent } from '../../src/events/channel';
import { defineDirectEvent } from '../../src/events/define';
import { publishDirect } from '../../src/events/outbox';
import type { PlatformEvent } from '../../src/events/types';
import { UsageRecorded } from '../../subgraphs/billing/usage/usage.events';
import { eventually } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant } from '../helpers/tenants';

// The first real direct event (chat token deltas) comes with its own subscription; until then
// a direct event of the same shape as usage.recorded drives the existing usageUpdated subscription.
const LiveUsage = defineDirectEvent(UsageRecorded.type, UsageRecorded.schema);

const USAGE_UPDATED = `subscription($organizationId: ID!) { usageUpdated(organizationId: $organizationId) { organizationId metric quantity total } }`;

describe('direct events (no outbox)', () => {
  it('an event larger than the NOTIFY limit goes out in pieces that come back together in any order', () => {
    const event: PlatformEvent = { id: randomUUID(), tenantId: null, type: 'test.big', payload: { text: 'é🙂'.repeat(9000) }, createdAt: new Date().toISOString() };
    const messages = encodeEvent(event);
    assert.ok(messages.length > 1);
    for (const message of messages) assert.ok(Buffer.byteLength(message) < 8000);
    const decode = createEventDecoder();
    const shuffled = [...messages].reverse();
    const results = shuffled.map((m) => decode(m));
    assert.deepEqual(results.slice(0, -1), new Array(messages.length - 1).fill(undefined));
    assert.deepEqual(results.at(-1), event);
    assert.deepEqual(createEventDecoder()(encodeEvent({ ...event, payload: { small: true } })[0]), { ...event, payload: { small: true } });
  });

  it('reach a subgraph subscription through the router, large ones too, and write no outbox row', async function () {
    this.timeout(60_000);
    const tenant = await createTenant();
    const organizationId = randomUUID();
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    const client = createClient({
      url: testPlatform().routerUrl.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${tenant.secret_key}` },
      retryAttempts: 0,
    });
    const received: any[] = [];
    let failure: unknown;
    const dispose = client.subscribe({ query: USAGE_UPDATED, variables: { organizationId } }, { next: (v) => received.push(v), error: (e) => (failure = e), complete: () => undefined });
    const outboxRows = async () => Number((await db.query(`SELECT count(*) FROM platform.outbox WHERE tenant_id = $1`, [tenant.tenant_id])).rows[0].count);
    const publish = (metric: string, quantity: number) =>
      publishDirect(db, LiveUsage, tenant.tenant_id, {
        recordId: randomUUID(),
        organizationId,
        userId: null,
        metric,
        quantity,
        organizationTotal: quantity,
        recordedAt: new Date().toISOString(),
      });
    try {
      const rowsBefore = await outboxRows();
      // The gateway opens its upstream socket on the first subscription: publish until one arrives.
      await eventually(async () => {
        assert.equal(failure, undefined);
        if (received.length) return true;
        await publish('tokens', 1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return undefined;
      }, 30_000);
      assert.deepEqual(received[0].data.usageUpdated, { organizationId, metric: 'tokens', quantity: 1, total: 1 });

      const bigMetric = 'ü'.repeat(12_000); // ≈24 kB: three times the NOTIFY limit
      await publish(bigMetric, 7);
      const big = await eventually(async () => received.find((r) => r.data?.usageUpdated.quantity === 7));
      assert.equal(big.data.usageUpdated.metric, bigMetric);
      assert.equal(await outboxRows(), rowsBefore, 'no outbox row was written');
    } finally {
      dispose();
      await client.dispose();
      await db.end();
    }
  });

  it('are checked against their schema like outbox events', async () => {
    await assert.rejects(publishDirect({ query: async () => assert.fail('nothing is sent') }, LiveUsage, null, { metric: 'x' } as any), /invalid usage\.recorded payload/);
  });
});
