import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type PgBoss from 'pg-boss';
import { Client } from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { createJobQueues, defineJob, enqueueJob, startJobs, workTypedJobs } from '../../src/events/jobs';
import { MailService } from '../../subgraphs/tenancy/mail/mail.service';
import { eventually, PASSWORD, rest } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';
import { awaitMail, queuedMails } from './mailbox';
import { SendMail } from '../../subgraphs/tenancy/mail/mail.jobs';

/** A logger whose JSON lines the test can read. */
function capturingLogger(): { log: pino.Logger; lines: Array<Record<string, any>> } {
  const lines: Array<Record<string, any>> = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
  return { log: pino({ level: 'info' }, stream), lines };
}

describe('mail is sent by a job, not inside the request', () => {
  let tenant: TestTenant;
  before(async () => {
    tenant = await createTenant({ requireEmailVerification: true });
  });

  it('the registration answers with the mail queued in its transaction; the mail arrives afterwards', async () => {
    const email = `jo-${randomUUID().slice(0, 8)}@example.com`;
    const { status } = await rest('POST', '/v1/auth/register', { email, password: PASSWORD }, { apiKey: tenant.public_key });
    assert.equal(status, 201);
    assert.equal(await queuedMails(email), 1, 'queued by the time the answer came');
    const mail = await awaitMail(tenant, email);
    assert.equal(mail.kind, 'verify_email');
    // the same email again fails (409) and rolls back: no second mail is queued
    assert.equal((await rest('POST', '/v1/auth/register', { email, password: PASSWORD }, { apiKey: tenant.public_key })).status, 409);
    assert.equal(await queuedMails(email), 1);
  });

  it('an SMTP failure throws out of deliver, so the job retries it', async () => {
    const offline = new DataSource({ type: 'postgres', url: 'postgres://offline/none' });
    const service = new MailService(offline, 'smtp://127.0.0.1:1', 'no-reply@platform.test');
    await assert.rejects(service.deliver(randomUUID(), { to: 'ann@example.com', subject: 'Hi', text: 'x', kind: 'test' }));
  });

  it('a worker refuses to start when a queue was not created with the migrations', async () => {
    const { log } = capturingLogger();
    await assert.rejects(startJobs(testPlatform().databaseUrl, ['tenancy.send-mail', `test.never-created-${randomUUID().slice(0, 8)}`], log), /job queues missing: test\.never-created-/);
  });

  it('a failed job is logged with its attempt and retried after a backoff', async function () {
    this.timeout(30_000);
    const job = defineJob(`test.flaky-${randomUUID().slice(0, 8)}`, z.object({ n: z.number() }), { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true, pollingIntervalSeconds: 0.5 });
    const { log, lines } = capturingLogger();
    const attempts: number[] = [];
    let boss: PgBoss | undefined;
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      await createJobQueues(db, [job.queue]);
      boss = await startJobs(testPlatform().databaseUrl, [job.queue], log);
      await workTypedJobs(
        boss,
        job,
        async ({ n }) => {
          attempts.push(Date.now());
          if (attempts.length === 1) throw new Error(`smtp down for ${n}`);
        },
        log,
      );
      await enqueueJob(db, job, { n: 7 });
      await eventually(async () => (attempts.length === 2 ? true : undefined), 20_000);
      const failure = lines.find((l) => l.msg === 'job failed; will retry');
      assert.ok(failure, JSON.stringify(lines));
      assert.equal(failure.queue, job.queue);
      assert.equal(failure.attempt, 1);
      assert.equal(failure.of, 3);
      assert.match(failure.err.message, /smtp down for 7/);
      // backoff: the first retry waits retryDelay × (1 + jitter) = 1–2 s
      assert.ok(attempts[1] - attempts[0] >= 900, `retried after ${attempts[1] - attempts[0]} ms`);
    } finally {
      await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
      await db.end();
    }
  });
});

describe("a sent mail's one-time token does not stay in the job tables", () => {
  it('the job keeps who and what kind, but not the text, once the mail is sent', async () => {
    const tenant = await createTenant({ requireEmailVerification: true });
    const email = `erase-${randomUUID().slice(0, 8)}@example.com`;
    assert.equal((await rest('POST', '/v1/auth/register', { email, password: PASSWORD }, { apiKey: tenant.public_key })).status, 201);
    const mail = await awaitMail(tenant, email);
    assert.match(mail.text, /Token: /);
    const db = new Client({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      const row = await eventually(async () => {
        const { rows } = await db.query(`SELECT state, data FROM pgboss.job WHERE name = $1 AND data->>'to' = $2`, [SendMail.queue, email]);
        return rows[0]?.state === 'completed' ? rows[0] : undefined;
      });
      assert.equal(row.data.kind, 'verify_email');
      assert.equal(row.data.text, undefined);
      assert.doesNotMatch(JSON.stringify(row.data), /Token/);
    } finally {
      await db.end();
    }
  });
});
