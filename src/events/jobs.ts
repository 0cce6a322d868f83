import PgBoss from 'pg-boss';
import type { Logger } from '../logger';
import type { EventSink } from './relay';
import type { PlatformEvent } from './types';

/** A durable consumer of events: the relay queues each matching event as a job on `queue`. */
export interface EventConsumer {
  queue: string;
  events: string[];
}

export const JOBS_SCHEMA = 'pgboss';

/** Creates pg-boss's schema once, under the migration lock (its own start() races when several processes start at once). */
export async function installJobsSchema(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  const result = (await client.query(`SELECT to_regclass('${JOBS_SCHEMA}.version') AS installed`)) as { rows: Array<{ installed: string | null }> };
  if (!result.rows[0].installed) await client.query(PgBoss.getConstructionPlans(JOBS_SCHEMA));
}

export async function startJobs(databaseUrl: string, queues: string[], log: Logger): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: JOBS_SCHEMA, max: 4, application_name: 'jobs' });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const queue of queues) await boss.createQueue(queue);
  return boss;
}

/**
 * Queues events for consumers inside the relay's transaction, so an event is marked published
 * only together with its jobs. The singleton key (the event id) keeps a replay from duplicating.
 */
export function jobSink(boss: PgBoss, consumers: EventConsumer[]): EventSink {
  return async (client, event) => {
    for (const consumer of consumers) {
      if (!consumer.events.includes(event.type)) continue;
      await boss.send(consumer.queue, event as unknown as object, {
        singletonKey: event.id,
        retryLimit: 10,
        retryBackoff: true,
        db: { executeSql: (text: string, values: unknown[]) => client.query(text, values as any[]) },
      });
    }
  };
}

/** Runs a consumer in its owning subgraph's process; handlers must be idempotent by event id. */
export async function consumeEvents(
  boss: PgBoss,
  queue: string,
  handle: (event: PlatformEvent) => Promise<void>,
  log: Logger,
): Promise<void> {
  await boss.work<PlatformEvent>(queue, { batchSize: 10 }, async (jobs) => {
    for (const job of jobs) {
      try {
        await handle(job.data);
      } catch (error) {
        log.error({ err: error, queue, eventId: job.data.id }, 'event consumer failed; will retry');
        throw error;
      }
    }
  });
}
