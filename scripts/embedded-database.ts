import { config } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { onShutdown } from '../src/process';

/**
 * The embedded PostgreSQL of `npm start`, in a process of its own that the launcher starts in a
 * separate process group: Ctrl-C in a terminal signals the whole foreground group, and PostgreSQL
 * must not see it, or it would close its connections before the services that use them stop.
 * The launcher stops it last (SIGTERM); it also stops when the launcher goes away.
 */
export interface DatabaseProcessMessage {
  url?: string;
  error?: string;
}

async function main(): Promise<void> {
  const cfg = config();
  const database = await startEmbeddedPostgres({ dataDir: cfg.dataDir, port: cfg.embeddedPostgresPort });
  onShutdown(() => database.stop());
  process.send!({ url: database.url } satisfies DatabaseProcessMessage);
}

main().catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  if (!process.send) {
    console.error(message);
    process.exit(1);
  }
  process.send({ error: message } satisfies DatabaseProcessMessage, () => process.exit(1));
});
