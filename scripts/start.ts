import { config } from '../src/config';
import { PACKAGE_VERSION } from '../src/paths';
import { startPlatform } from './platform';

/** npm start: the whole platform on one machine; Ctrl-C stops every process and PostgreSQL. */
async function main(): Promise<void> {
  const cfg = config();
  console.log(cfg.databaseUrl ? 'Using DATABASE_URL' : `Starting embedded PostgreSQL in ${cfg.dataDir}/pg ...`);
  let shuttingDown = false;
  let started = false;
  const platform = await startPlatform({
    config: cfg,
    onExit: (name, code) => {
      // During start-up startPlatform itself notices the exit, stops the rest and throws.
      if (shuttingDown || !started) return;
      console.error(`${name} exited unexpectedly (code ${code}); stopping the platform`);
      void shutdown(1);
    },
  });
  async function shutdown(exitCode: number): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log('Stopping ...');
    await platform.stop();
    process.exit(exitCode);
  }
  started = true;
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // A process manager may signal npm alone: npm (and the shell it runs us through) then exits
  // without passing the signal on. A new parent pid means ours is gone: stop as for SIGTERM.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void shutdown(0), 500).unref();
  const urls = [
    `Platform ready (version ${PACKAGE_VERSION})`,
    `  GraphQL        ${platform.routerUrl}/graphql  (graphql-ws on the same URL)`,
    `  REST (v1)      ${platform.routerUrl}/v1/...   OpenAPI: ${platform.routerUrl}/v1/openapi.json`,
    `  Docs           ${platform.routerUrl}/docs  ·  ${platform.routerUrl}/redoc`,
    `  Health         ${platform.routerUrl}/api/health`,
    ...Object.entries(cfg.subgraphUrls).map(([name, url]) => `  ${name.padEnd(14)} ${url}`),
    `Create a tenant: npm run tenant:create -- --name "Acme" --json`,
  ];
  console.log(urls.join('\n'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
