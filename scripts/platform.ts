import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Config, SubgraphName } from '../src/config';
import type { EmbeddedDatabase } from '../src/db/embedded';
import type { DatabaseProcessMessage } from './embedded-database';
import { migrateDatabase } from '../subgraphs/migrations';
import { SUBGRAPHS } from '../subgraphs/definitions';
import { ROOT, TS_NODE_ARGS } from './sdl';

export interface PlatformOptions {
  config: Config;
  /** Extra environment for every child (tests set ports and limits here). */
  env?: Record<string, string>;
  /** Where children's stdout/stderr go (default: inherited). 'tail' keeps each child's last lines for onExit. */
  output?: 'inherit' | 'ignore' | 'tail';
  /** A child exited while the platform was not stopping; `lastOutput` is its last lines with output 'tail'. */
  onExit?: (name: string, code: number | null, lastOutput: string[]) => void;
}

export interface RunningPlatform {
  databaseUrl: string;
  routerUrl: string;
  children: Map<string, ChildProcess>;
  /**
   * Kills one service at once (SIGKILL: no shutdown handler runs, as in a crash or an OOM kill),
   * then starts a new process of it in its place, on the same ports; resolves once it answers its
   * health check (at once for the worker, which has none). For tests of crash recovery.
   */
  crashAndRestart(name: string, whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

const TAIL_LINES = 80;

/** Keeps the last lines a child printed, so an unexpected exit can be explained. */
function keepTail(child: ChildProcess): () => string[] {
  let lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      lines = [...lines, ...chunk.toString('utf8').split('\n').filter(Boolean)].slice(-TAIL_LINES);
    });
  }
  return () => lines;
}

function stdioOf(output: PlatformOptions['output']): 'inherit' | 'ignore' | 'pipe' {
  return output === 'tail' ? 'pipe' : output ?? 'inherit';
}

const PROCESSES: Array<{ name: string; entry: string }> = [
  ...SUBGRAPHS.map(({ name, entry }) => ({ name, entry })),
  { name: 'worker', entry: 'worker/index.ts' },
  { name: 'router', entry: 'router/index.ts' },
];

async function waitForHealth(url: string, isDead: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (isDead()) throw new Error(`a process exited before ${url} answered`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The embedded PostgreSQL in its own process and process group (scripts/embedded-database.ts), so
 * a Ctrl-C meant for the services does not reach it and it can be stopped last.
 */
async function startDatabaseProcess(options: PlatformOptions): Promise<EmbeddedDatabase> {
  const child = spawn(process.execPath, [...TS_NODE_ARGS, path.join(ROOT, 'scripts/embedded-database.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', stdioOf(options.output), stdioOf(options.output), 'ipc'],
  });
  keepTail(child); // drains the pipes
  const message = await new Promise<DatabaseProcessMessage>((resolve) => {
    child.once('message', (m) => resolve(m as DatabaseProcessMessage));
    child.once('exit', (code) => resolve({ error: `the embedded PostgreSQL process exited (code ${code})` }));
  });
  if (!message.url) {
    await stopChild(child);
    throw new Error(message.error);
  }
  return { url: message.url, stop: () => stopChild(child, 15_000) };
}

/**
 * Starts the whole platform: PostgreSQL (DATABASE_URL, or an embedded server under DATA_DIR),
 * migrations, the four subgraphs, the event worker and the router, each in its own process.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const { config } = options;
  let database: EmbeddedDatabase | undefined;
  const databaseUrl =
    config.databaseUrl ??
    (database = await startDatabaseProcess(options)).url;
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stop = async () => {
    stopping = true;
    // Router first (no new requests), then the rest, then the database: a service whose
    // connections PostgreSQL closes under it logs errors.
    const router = children.get('router');
    if (router) await stopChild(router, 5000);
    await Promise.all([...children.values()].map((child) => stopChild(child, 5000)));
    await database?.stop();
  };
  /** Children killed on purpose (crashAndRestart): their exit is no news. */
  const killed = new Set<ChildProcess>();
  const startChild = (name: string, entry: string) => {
    const child = spawn(process.execPath, [...TS_NODE_ARGS, path.join(ROOT, entry)], {
      cwd: ROOT,
      env: { ...process.env, ...options.env, DATABASE_URL: databaseUrl },
      // The IPC channel lets a child notice when the launcher is gone (see src/process.ts).
      stdio: ['ignore', stdioOf(options.output), stdioOf(options.output), 'ipc'],
    });
    const lastOutput = keepTail(child);
    child.once('exit', (code) => {
      if (!stopping && !killed.has(child)) options.onExit?.(name, code, lastOutput());
    });
    children.set(name, child);
  };
  const routerUrl = `http://${config.host}:${config.port}`;
  const healthUrl = (name: string) =>
    name === 'router' ? `${routerUrl}/api/health` : name in config.subgraphUrls ? config.subgraphUrls[name as SubgraphName].replace(/\/graphql$/, '/health') : undefined;
  const crashAndRestart = async (name: string, whileDown?: () => Promise<void>) => {
    const service = PROCESSES.find((p) => p.name === name);
    const child = children.get(name);
    if (!service || !child) throw new Error(`no service named ${name}`);
    killed.add(child);
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    await whileDown?.();
    startChild(name, service.entry);
    const url = healthUrl(name);
    if (url) await waitForHealth(url, () => children.get(name)!.exitCode !== null);
  };
  try {
    await migrateDatabase(databaseUrl);
    for (const { name, entry } of PROCESSES) startChild(name, entry);
    const dead = () => [...children.values()].some((c) => c.exitCode !== null);
    for (const { name } of SUBGRAPHS) await waitForHealth(healthUrl(name)!, dead);
    await waitForHealth(`${routerUrl}/api/health`, dead);
    return { databaseUrl, routerUrl, children, crashAndRestart, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
