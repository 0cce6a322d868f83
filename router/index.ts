import 'reflect-metadata';
import { config } from '../src/config';
import { serviceLogger } from '../src/logger';
import { databaseUrlOrExit, onShutdown } from '../src/process';
import { startRouter } from './server';

async function main(): Promise<void> {
  const cfg = config();
  const log = serviceLogger('router');
  databaseUrlOrExit(cfg, log);
  const router = await startRouter(cfg, log);
  log.info({ url: router.url }, 'router ready');
  onShutdown(() => router.close().catch((error) => log.error({ err: error }, 'router close failed')));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
