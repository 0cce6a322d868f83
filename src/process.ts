import type { Config } from './config';
import type { Logger } from './logger';

/**
 * Runs `stop` once on SIGINT/SIGTERM, or when the launcher that started this process goes away
 * (its IPC channel closes), so no child outlives `npm start`. Our handler replaces the default
 * exit (the gateway library installs signal handlers of its own).
 */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const run = () => {
    if (stopping) return;
    stopping = true;
    stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', run);
  process.on('SIGTERM', run);
  process.on('disconnect', run);
}

/** Service processes need a database; `npm start` passes its URL to every child it starts. */
export function databaseUrlOrExit(config: Config, log: Logger): string {
  if (config.databaseUrl) return config.databaseUrl;
  log.fatal('DATABASE_URL is not set (npm start sets it for the processes it starts)');
  process.exit(1);
}
