import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { deliverTo } from '../../src/events/consumers';
import type { PlatformEvent } from '../../src/events/types';
import { billingSubgraph } from '../../subgraphs/billing/server';
import { FileDeleted, FileUploaded } from '../../subgraphs/entities/drive/drive.events';
import { testPlatform } from '../helpers/global';

/** billing.meter-storage, delivered directly: at-least-once delivery and any order must still count right. */
describe("billing's storage meter (file.uploaded / file.deleted)", () => {
  const tenantId = randomUUID();
  const userId = randomUUID();
  const event = (type: string, bytes: number, fileId = randomUUID(), tenant = tenantId): PlatformEvent => ({
    id: randomUUID(),
    tenantId: tenant,
    type,
    payload: { fileId, userId, folderId: null, bytes, contentType: 'application/pdf' },
    createdAt: new Date().toISOString(),
  });

  it('adds on upload and subtracts on delete, once per event id; a delete before its upload is retried, never lost', async () => {
    const dataSource = await createDataSource({ url: testPlatform().databaseUrl, schema: 'billing', entities: billingSubgraph.entities, poolSize: 2 }).initialize();
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      const consumer = billingSubgraph.consumers!.find((c) => c.name === 'billing.meter-storage')!;
      const deliver = deliverTo(consumer, consumer.handler({ dataSource }));
      const counters = async (tenant = tenantId) =>
        Object.fromEntries(
          (await db.query(`SELECT meter, user_id::text AS owner, value::float8 AS value FROM billing.usage_counters WHERE tenant_id = $1`, [tenant])).rows.map((r) => [
            `${r.meter}:${r.owner === userId ? 'user' : 'tenant'}`,
            r.value,
          ]),
        );

      const uploaded = event(FileUploaded.type, 1000);
      await deliver(uploaded);
      await deliver(uploaded); // redelivered after a retry
      assert.deepEqual(await counters(), { 'storage_bytes:user': 1000, 'storage:tenant': 1000 });

      await deliver(event(FileDeleted.type, 400));
      assert.deepEqual(await counters(), { 'storage_bytes:user': 600, 'storage:tenant': 600 });

      // Another tenant whose delete arrives before its upload: refused whole, then counted once in order.
      const late = randomUUID();
      const fileId = randomUUID();
      const early = event(FileDeleted.type, 300, fileId, late);
      await assert.rejects(deliver(early), /no storage_bytes counter/);
      assert.deepEqual(await counters(late), {}, 'nothing half-applied');
      await deliver(event(FileUploaded.type, 300, fileId, late));
      await deliver(early);
      await deliver(early);
      assert.deepEqual(await counters(late), { 'storage_bytes:user': 0, 'storage:tenant': 0 });
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM billing.usage_records WHERE tenant_id = ANY($1) AND metric = 'storage_bytes'`, [[tenantId, late]]);
      assert.equal(rows[0].n, 4);
    } finally {
      await db.end();
      await dataSource.destroy();
    }
  });
});
