import { Client } from 'pg';
import type PgBoss from 'pg-boss';
import type { SqlRunner } from '../db/sql-runner';
import type { Logger } from '../logger';

/**
 * pg-boss workers poll (0.5 s at best) and sleep out the rest of the interval after every batch,
 * so a job sent to an idle worker waited up to a poll, and a backlog drained one batch per
 * interval. Senders now notify the queue's name on this channel (delivered at their commit, with
 * the job), and each process that works the queue wakes its workers at once.
 */
const JOBS_CHANNEL = 'platform_jobs';

/** In the sender's transaction, after the jobs: wakes the queue's workers when it commits. */
export async function announceJobs(runner: SqlRunner, queue: string): Promise<void> {
  await runner.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, queue]);
}

/** The workers of each queue in this process, woken by announcements and after full batches. */
export class JobWakeup {
  private static readonly byBoss = new WeakMap<PgBoss, JobWakeup>();
  private readonly workers = new Map<string, string[]>();

  private constructor(private readonly boss: PgBoss) {}

  /** The wake-up of a pg-boss started by startJobs (undefined for any other). */
  static of(boss: PgBoss): JobWakeup | undefined {
    return JobWakeup.byBoss.get(boss);
  }

  /** Listens for announcements until pg-boss stops. */
  static async listen(boss: PgBoss, databaseUrl: string, log: Logger): Promise<JobWakeup> {
    const wakeup = new JobWakeup(boss);
    const client = new Client({ connectionString: databaseUrl, application_name: 'jobs-wakeup' });
    client.on('error', (error) => log.warn({ err: error }, 'job wake-up listener failed; workers fall back to polling'));
    client.on('notification', ({ payload }) => payload && wakeup.wake(payload));
    await client.connect();
    await client.query(`LISTEN ${JOBS_CHANNEL}`);
    boss.once('stopped', () => void client.end().catch(() => undefined));
    JobWakeup.byBoss.set(boss, wakeup);
    return wakeup;
  }

  add(queue: string, workerId: string): void {
    this.workers.set(queue, [...(this.workers.get(queue) ?? []), workerId]);
  }

  wake(queue: string): void {
    for (const id of this.workers.get(queue) ?? []) this.boss.notifyWorker(id);
  }
}
