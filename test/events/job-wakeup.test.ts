import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { createJobQueues, DEFAULT_JOB_OPTIONS, sendJob, startJobs, workJobs } from '../../src/events/jobs';
import { eventually } from '../helpers/client';
import { testPlatform } from '../helpers/global';

/** pg-boss polls; a committed job wakes its workers instead (src/events/job-wakeup.ts). */
describe('jobs wake their workers when they commit', function () {
  this.timeout(60_000);

  it('a job sent to a worker that polls every 30 s runs long before the next poll, and only after its commit', async () => {
    const queue = `test.wakeup-${randomUUID().slice(0, 8)}`;
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    await createJobQueues(db, [queue]);
    const boss = await startJobs(testPlatform().databaseUrl, [queue], pino({ level: 'silent' }));
    try {
      const handled: string[] = [];
      await workJobs<{ n: string }>(boss, queue, { ...DEFAULT_JOB_OPTIONS, pollingIntervalSeconds: 30 }, async (data) => void handled.push(data.n), pino({ level: 'silent' }));
      // let the worker's first (empty) poll pass: from here on it sleeps for 30 s
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await db.query('BEGIN');
      await sendJob(db, queue, { n: 'first' }, DEFAULT_JOB_OPTIONS);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(handled, [], 'not before the commit');
      await db.query('COMMIT');
      await eventually(async () => (handled.length ? true : undefined), 10_000);
      assert.deepEqual(handled, ['first']);
    } finally {
      await boss.stop({ graceful: false, wait: true });
      await db.end();
    }
  });
});
