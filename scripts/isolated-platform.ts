import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { SUBGRAPHS } from '../subgraphs/definitions';
import { startPlatform, type PlatformOptions, type RunningPlatform } from './platform';

/** A loopback port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Every subgraph's port setting, each on its own free port. */
export async function freeSubgraphPorts(): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const { portSetting } of SUBGRAPHS) env[portSetting] = String(await freePort());
  return env;
}

export interface IsolatedPlatform {
  config: Config;
  env: Record<string, string>;
  routerUrl: string;
  databaseUrl: string;
  running: RunningPlatform;
  /** Stops every process, PostgreSQL, and removes the data directory. */
  stop(): Promise<void>;
}

/**
 * The whole platform for the test suite and the bench: an embedded PostgreSQL in a fresh temp
 * directory, then the four subgraphs, the worker and the router, all on free loopback ports.
 * TRUST_PROXY lets callers pose as distinct client IPs (X-Forwarded-For).
 */
export async function startIsolatedPlatform(options: {
  name: string;
  env?: Record<string, string>;
  output?: PlatformOptions['output'];
  onExit?: PlatformOptions['onExit'];
}): Promise<IsolatedPlatform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `platform-${options.name}-`));
  fs.chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root
  const database = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  const removeDatabase = async () => {
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const env: Record<string, string> = {
      NODE_ENV: 'test', // production would require real secrets
      DATABASE_URL: database.url,
      PORT: String(await freePort()),
      ...(await freeSubgraphPorts()),
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'error',
      DATA_DIR: dataDir, // the drive's files (dataDir/drive) go away with the database
      ...options.env,
    };
    const config = loadConfig({ ...process.env, ...env });
    const running = await startPlatform({ config, env, output: options.output ?? 'ignore', onExit: options.onExit });
    return {
      config,
      env,
      routerUrl: running.routerUrl,
      databaseUrl: running.databaseUrl,
      running,
      async stop() {
        await running.stop();
        await removeDatabase();
      },
    };
  } catch (error) {
    await removeDatabase();
    throw error;
  }
}
