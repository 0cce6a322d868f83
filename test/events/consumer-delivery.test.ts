import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { consumerSink, defineConsumer, deliverTo } from '../../src/events/consumers';
import { PayloadError } from '../../src/events/define';
import type { PlatformEvent } from '../../src/events/types';
import { billingSubgraph } from '../../subgraphs/billing/server';
import { EndUserRegistered } from '../../subgraphs/tenancy/end-user/end-user.events';
import { testPlatform } from '../helpers/global';

function registered(payload: unknown, id = randomUUID(), tenantId = randomUUID()): PlatformEvent {
  return { id, tenantId, type: EndUserRegistered.type, payload: payload as Record<string, unknown>, createdAt: new Date().toISOString() };
}

describe('consumers', () => {
  it('receive the payload as its schema reads it; a payload that fails it never reaches the handler', async () => {
    const seen: unknown[] = [];
    const consumer = defineConsumer({
      name: 'test.seen',
      events: [EndUserRegistered],
      handler: () => async (event) => void seen.push(event.payload.userId),
    });
    const deliver = deliverTo(consumer, consumer.handler(undefined));
    const userId = randomUUID();
    await deliver(registered({ userId, extra: 'dropped' }));
    assert.deepEqual(seen, [userId]);
    await assert.rejects(deliver(registered({ userId: 42 })), PayloadError);
    await assert.rejects(deliver({ ...registered({ userId }), type: 'agent.created' }), /does not take agent\.created/);
    assert.deepEqual(seen, [userId]);
  });

  it("billing's end-user metering is idempotent by event id (at-least-once delivery)", async () => {
    const dataSource = createDataSource({ url: testPlatform().databaseUrl, schema: 'billing', entities: billingSubgraph.entities });
    await dataSource.initialize();
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      const metering = billingSubgraph.consumers!.find((c) => c.name === 'billing.meter-end-users')!;
      const deliver = deliverTo(metering, metering.handler({ dataSource }));
      const event = registered({ userId: randomUUID() });
      await deliver(event);
      await deliver(event); // the same event again, as after a retry
      const { rows } = await db.query(`SELECT metric, quantity::float8 AS quantity FROM billing.usage_records WHERE source_event_id = $1`, [event.id]);
      assert.deepEqual(rows, [{ metric: 'end_users', quantity: 1 }]);
    } finally {
      await db.end();
      await dataSource.destroy();
    }
  });

  it('the relay queues an event once per consumer, even when it hands it over twice', async () => {
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    await db.query('BEGIN');
    try {
      const sink = consumerSink(billingSubgraph.consumers!);
      const event = registered({ userId: randomUUID() });
      await sink(db, [event]);
      await sink(db, [event]);
      const { rows } = await db.query(`SELECT name, data->>'id' AS event FROM pgboss.job WHERE id = $1`, [event.id]);
      assert.deepEqual(rows, [{ name: 'billing.meter-end-users', event: event.id }]);
    } finally {
      await db.query('ROLLBACK');
      await db.end();
    }
  });
});
