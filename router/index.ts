import 'reflect-metadata';
import { config } from '../src/config';
import { serviceLogger } from '../src/logger';
import { onShutdown } from '../src/process';
import { startRouter } from './server';

async function main(): Promise<void> {
  const cfg = config();
  const log = serviceLogger('router');
  if (!cfg.databaseUrl) {
    log.fatal('DATABASE_URL is not set (npm start sets it for the router it starts)');
    process.exit(1);
  }
  const router = await startRouter(cfg, log);
  log.info({ url: router.url }, 'router ready');
  onShutdown(() => router.close().catch((error) => log.error({ err: error }, 'router close failed')));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
