import 'reflect-metadata';
import { Pool } from 'pg';
import { config } from '../src/config';
import { jobSink, startJobs } from '../src/events/jobs';
import { OutboxRelay } from '../src/events/relay';
import { serviceLogger } from '../src/logger';
import { onShutdown } from '../src/process';
import { EVENT_CONSUMERS } from '../subgraphs/consumers';

/** The event worker: relays the outbox to the pub/sub channel and to consumers' job queues. */
async function main(): Promise<void> {
  const cfg = config();
  const log = serviceLogger('worker');
  if (!cfg.databaseUrl) {
    log.fatal('DATABASE_URL is not set (npm start sets it for the worker it starts)');
    process.exit(1);
  }
  const pool = new Pool({ connectionString: cfg.databaseUrl, max: 4, application_name: 'worker' });
  const boss = await startJobs(cfg.databaseUrl, EVENT_CONSUMERS.map((c) => c.queue), log);
  const relay = new OutboxRelay(pool, cfg.databaseUrl, [jobSink(boss, EVENT_CONSUMERS)], log);
  await relay.start();
  log.info('event worker ready');
  onShutdown(async () => {
    await relay.stop();
    await boss.stop({ graceful: true, timeout: 3000 }).catch(() => undefined);
    await pool.end().catch(() => undefined);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
