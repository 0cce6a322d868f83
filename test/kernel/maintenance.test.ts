import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { pruneKernelTables } from '../../src/db/maintenance';
import { testPlatform } from '../helpers/global';

describe('kernel table pruning (event worker)', () => {
  it('removes stale rate-limit counters, old published events and expired idempotency keys, and keeps the rest', async () => {
    const pool = new Pool({ connectionString: testPlatform().databaseUrl, max: 1 });
    try {
      await pool.query(`INSERT INTO platform.rate_limits (key, window_start, hits, blocked_until) VALUES
        ('prune:stale', now() - interval '2 days', 3, NULL),
        ('prune:blocked', now() - interval '2 days', 3, now() + interval '1 hour'),
        ('prune:fresh', now(), 1, NULL)`);
      await pool.query(`INSERT INTO platform.outbox (type, payload, created_at, published_at) VALUES
        ('prune.old', '{}', now() - interval '8 days', now() - interval '8 days'),
        ('prune.unpublished', '{}', now() - interval '8 days', NULL)`);
      await pool.query(`INSERT INTO platform.idempotency_keys (tenant_id, caller, key, request_hash, created_at) VALUES
        (gen_random_uuid(), 'prune', 'expired', 'h', now() - interval '25 hours'),
        (gen_random_uuid(), 'prune', 'honoured', 'h', now() - interval '23 hours')`);
      assert.ok((await pruneKernelTables(pool)) >= 3);
      const idempotencyKeys = (await pool.query(`SELECT key FROM platform.idempotency_keys WHERE caller = 'prune'`)).rows.map((r) => r.key);
      assert.deepEqual(idempotencyKeys, ['honoured']);
      const keys = (await pool.query(`SELECT key FROM platform.rate_limits WHERE key LIKE 'prune:%' ORDER BY key`)).rows.map((r) => r.key);
      assert.deepEqual(keys, ['prune:blocked', 'prune:fresh']);
      const types = (await pool.query(`SELECT type FROM platform.outbox WHERE type LIKE 'prune.%'`)).rows.map((r) => r.type);
      assert.deepEqual(types, ['prune.unpublished']);
    } finally {
      await pool.query(`DELETE FROM platform.rate_limits WHERE key LIKE 'prune:%'`);
      await pool.query(`DELETE FROM platform.outbox WHERE type LIKE 'prune.%'`);
      await pool.query(`DELETE FROM platform.idempotency_keys WHERE caller = 'prune'`);
      await pool.end();
    }
  });
});
