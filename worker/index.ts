import 'reflect-metadata';
import { config } from '../src/config';
import { pruneKernelTables } from '../src/db/maintenance';
import { createPool } from '../src/db/pool';
import { consumerSink } from '../src/events/consumers';
import { startJobs } from '../src/events/jobs';
import { OutboxRelay } from '../src/events/relay';
import { serviceLogger } from '../src/logger';
import { databaseUrlOrExit, onShutdown } from '../src/process';
import { eventRegistry } from '../subgraphs/consumers';
import { webhookFanoutSink } from '../subgraphs/tenancy/webhook/webhook.fanout';

const PRUNE_EVERY_MS = 10 * 60_000;

/** The event worker: relays the outbox to the pub/sub channel and to consumers' job queues, and prunes kernel tables. */
async function main(): Promise<void> {
  const cfg = config();
  const log = serviceLogger('worker');
  const databaseUrl = databaseUrlOrExit(cfg, log);
  const registry = eventRegistry();
  const pool = createPool({ url: databaseUrl, name: 'worker', max: 4, log });
  // The queues were created with the migrations (src/events/jobs.ts createJobQueues).
  const boss = await startJobs(databaseUrl, registry.queues, log, { maintenanceIntervalSeconds: cfg.jobsMaintenanceIntervalSeconds });
  const relay = new OutboxRelay(pool, databaseUrl, [consumerSink(registry.consumers), webhookFanoutSink(cfg.webhooks)], log);
  await relay.start();
  const prune = () => pruneKernelTables(pool).catch((error) => log.error({ err: error }, 'pruning kernel tables failed'));
  const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
  void prune();
  log.info({ events: registry.events.size, consumers: registry.consumers.map((c) => c.name) }, 'event worker ready');
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
