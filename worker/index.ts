import 'reflect-metadata';
import { Pool } from 'pg';
import { config } from '../src/config';
import { pruneKernelTables } from '../src/db/maintenance';
import { jobSink, startJobs } from '../src/events/jobs';
import { OutboxRelay } from '../src/events/relay';
import { serviceLogger } from '../src/logger';
import { databaseUrlOrExit, onShutdown } from '../src/process';
import { EVENT_CONSUMERS } from '../subgraphs/consumers';

const PRUNE_EVERY_MS = 10 * 60_000;

/** The event worker: relays the outbox to the pub/sub channel and to consumers' job queues, and prunes kernel tables. */
async function main(): Promise<void> {
  const cfg = config();
  const log = serviceLogger('worker');
  const databaseUrl = databaseUrlOrExit(cfg, log);
  const pool = new Pool({ connectionString: databaseUrl, max: 4, application_name: 'worker' });
  const boss = await startJobs(databaseUrl, EVENT_CONSUMERS.map((c) => c.queue), log);
  const relay = new OutboxRelay(pool, databaseUrl, [jobSink(boss, EVENT_CONSUMERS)], log);
  await relay.start();
  const prune = () => pruneKernelTables(pool).catch((error) => log.error({ err: error }, 'pruning kernel tables failed'));
  const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
  void prune();
  log.info('event worker ready');
  onShutdown(async () => {
    clearInterval(pruneTimer);
    await relay.stop();
    await boss.stop({ graceful: true, timeout: 3000 }).catch(() => undefined);
    await pool.end().catch(() => undefined);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
