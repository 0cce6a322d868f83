import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { rowsOf, type SqlRunner } from '../db/sql-runner';
import type { Logger } from '../logger';
import { checkPayload } from './define';
import { announceJobs, JobWakeup } from './job-wakeup';

export const JOBS_SCHEMA = 'pgboss';

export interface JobOptions {
  /** Attempts after the first one. */
  retryLimit: number;
  /** Delay before the first retry; with backoff it doubles (with jitter) on each further attempt. */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** How often an idle worker looks for new jobs (pg-boss polls; 0.5 s is its minimum). */
  pollingIntervalSeconds: number;
  /**
   * Keys of the data that hold secrets (an email's text with a one-time token): erased once the
   * job succeeded, so the secret does not linger in pg-boss's job and archive tables for days.
   */
  erasedWhenDone?: readonly string[];
  /** A job active this long is presumed lost (its worker died) and retried (pg-boss's default: 15 min). */
  expireInSeconds?: number;
  /** Run a fetched batch's jobs concurrently (slow independent work, e.g. webhook deliveries) instead of one after another. */
  concurrent?: boolean;
  /** Jobs fetched per poll (default 10). */
  batchSize?: number;
  /**
   * Fetch loops per process (default 1). A loop fetches its next batch only once its whole batch
   * is done, so one slow job holds up the rest: several loops keep work flowing meanwhile.
   */
  workers?: number;
}

export const DEFAULT_JOB_OPTIONS: JobOptions = { retryLimit: 10, retryDelaySeconds: 2, retryBackoff: true, pollingIntervalSeconds: 2 };

/** A kind of durable background work (e.g. sending one email), defined once with its data schema. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  readonly queue: string;
  readonly schema: S;
  readonly options: JobOptions;
}

export function defineJob<S extends z.ZodType>(queue: string, schema: S, options: Partial<JobOptions> = {}): JobDefinition<S> {
  return Object.freeze({ queue, schema, options: { ...DEFAULT_JOB_OPTIONS, ...options } });
}

/** Creates pg-boss's schema once, under the migration lock (its own start() races when several processes start at once). */
export async function installJobsSchema(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  const result = (await client.query(`SELECT to_regclass('${JOBS_SCHEMA}.version') AS installed`)) as { rows: Array<{ installed: string | null }> };
  if (!result.rows[0].installed) await client.query(PgBoss.getConstructionPlans(JOBS_SCHEMA));
}

/**
 * Creates the registry's queues (idempotent), under the migration lock before any service starts:
 * a job sent to a queue that does not exist yet is dropped, and creating a queue (a new partition
 * of pg-boss's job table) while services send jobs can deadlock with them.
 */
export async function createJobQueues(client: SqlRunner, queues: readonly string[]): Promise<void> {
  const boss = new PgBoss({ schema: JOBS_SCHEMA, db: { executeSql: async (text: string, values: unknown[]) => ({ rows: rowsOf(await client.query(text, values)) }) } });
  for (const queue of queues) await boss.createQueue(queue);
}

/** How pg-boss keeps its tables: `maintenanceIntervalSeconds` is also how soon a job lost with its process (active past its expiry) runs again. */
export interface JobsMaintenance {
  maintenanceIntervalSeconds?: number;
}

/** Starts pg-boss for working jobs; the queues must exist (created with the migrations). */
export async function startJobs(databaseUrl: string, queues: readonly string[], log: Logger, maintenance: JobsMaintenance = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: JOBS_SCHEMA, max: 4, application_name: 'jobs', ...maintenance });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  const missing = queues.filter((queue) => !existing.has(queue));
  if (missing.length) {
    await boss.stop({ graceful: false, wait: true });
    throw new Error(`job queues missing: ${missing.join(', ')} (run the migrations: npm run migrate)`);
  }
  await JobWakeup.listen(boss, databaseUrl, log);
  return boss;
}

// pg-boss only builds the INSERT here: every send runs it on the caller's own connection
// (options.db), so a sender needs no pool of its own and is never started.
let sender: PgBoss | undefined;
function jobSender(): PgBoss {
  sender ??= new PgBoss({ schema: JOBS_SCHEMA, db: { executeSql: () => Promise.reject(new Error('jobs are sent on the caller’s connection')) } });
  return sender;
}

/**
 * Puts a job on a queue through `runner` (pass the write's transaction: the job commits or rolls
 * back with it). A `jobId` already on the queue is not queued again (the job table's key is
 * queue + id). The queue must exist (startJobs creates the registry's queues).
 */
export async function sendJob(runner: SqlRunner, queue: string, data: object, options: JobOptions, jobId?: string, startAfter?: Date): Promise<void> {
  await jobSender().send(queue, data, {
    id: jobId,
    ...(startAfter ? { startAfter } : {}),
    ...(options.expireInSeconds ? { expireInSeconds: options.expireInSeconds } : {}),
    retryLimit: options.retryLimit,
    retryDelay: options.retryDelaySeconds,
    retryBackoff: options.retryBackoff,
    db: { executeSql: async (text: string, values: unknown[]) => ({ rows: rowsOf(await runner.query(text, values)) }) },
  });  if (!startAfter || startAfter.getTime() <= Date.now()) await announceJobs(runner, queue);
}

/**
 * Puts several jobs on a queue in one statement through `runner` (the relay's transaction), each
 * with its id when given (an id already on the queue is not queued again), with `options`.
 */
export async function sendJobs(runner: SqlRunner, queue: string, jobs: ReadonlyArray<{ id?: string; data: object }>, options: JobOptions): Promise<void> {
  if (!jobs.length) return;
  await jobSender().insert(
    jobs.map(({ id, data }) => ({
      id,
      name: queue,
      data,
      retryLimit: options.retryLimit,
      retryDelay: options.retryDelaySeconds,
      retryBackoff: options.retryBackoff,
      ...(options.expireInSeconds ? { expireInSeconds: options.expireInSeconds } : {}),
    })),
    { db: { executeSql: async (text: string, values: unknown[]) => ({ rows: rowsOf(await runner.query(text, values)) }) } },
  );  await announceJobs(runner, queue);
}

/** Queues a typed job in the caller's transaction; data that fails the job's schema throws before anything is written. */
export async function enqueueJob<S extends z.ZodType>(tx: SqlRunner, job: JobDefinition<S>, data: z.input<S>): Promise<void> {
  await sendJob(tx, job.queue, checkPayload(job.queue, job.schema, data) as object, job.options);
}

/**
 * Runs a queue's jobs in this process, each on its own: a failure is logged with its attempt
 * number and retried by pg-boss after the job's backoff, without failing the batch's other jobs.
 */
export async function workJobs<T>(
  boss: PgBoss,
  queue: string,
  options: Pick<JobOptions, 'pollingIntervalSeconds' | 'erasedWhenDone' | 'concurrent' | 'batchSize' | 'workers'>,
  handle: (data: T) => Promise<void>,
  log: Logger,
): Promise<void> {
  const work = async (jobs: Array<PgBoss.JobWithMetadata<T>>) => {
    const run = async (job: (typeof jobs)[number]) => {
      try {
        await handle(job.data);
        if (options.erasedWhenDone?.length) {
          await boss.getDb().executeSql(`UPDATE ${JOBS_SCHEMA}.job SET data = data - $3::text[] WHERE name = $1 AND id = $2`, [queue, job.id, options.erasedWhenDone]);
        }
      } catch (error) {
        const last = job.retryCount >= job.retryLimit;
        log.error({ err: error, queue, jobId: job.id, attempt: job.retryCount + 1, of: job.retryLimit + 1 }, last ? 'job failed for good' : 'job failed; will retry');
        await boss.fail(queue, job.id, { message: error instanceof Error ? error.message : String(error) });
      }
    };
    if (options.concurrent) await Promise.all(jobs.map(run));
    else for (const job of jobs) await run(job);
    // A full batch: more are likely waiting; fetch again at once instead of sleeping out the poll.
    if (jobs.length >= batchSize) wakeup?.wake(queue);
  };
  const batchSize = options.batchSize ?? 10;
  const wakeup = JobWakeup.of(boss);
  for (let i = 0; i < (options.workers ?? 1); i++) {
    const workerId = await boss.work<T>(queue, { batchSize, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds }, work);
    wakeup?.add(queue, workerId);
  }
}

/** Runs a typed job definition's handler, validating each job's data against the schema first. */
export function workTypedJobs<S extends z.ZodType>(boss: PgBoss, job: JobDefinition<S>, handle: (data: z.output<S>) => Promise<void>, log: Logger): Promise<void> {
  return workJobs<unknown>(boss, job.queue, job.options, (data) => handle(checkPayload(job.queue, job.schema, data)), log);
}
