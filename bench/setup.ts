import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startPlatform } from '../scripts/platform';
import { loadConfig, type Config } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { freePort } from './ports';
import { ROOT, spawnTs, stopChild, waitForHttp, type Cleanup } from './processes';
import type { BenchTenant } from './seed';

/** Login is limited to 10 per 15 min per IP; the bench logs in thousands of times from one IP. */
export const AUTH_RATE_LIMIT_FACTOR = 100_000;

export interface BenchPlatform {
  config: Config;
  /** The environment every platform process got (the Apollo gateway child gets it too). */
  env: Record<string, string>;
  routerUrl: string;
  databaseUrl: string;
  /** Set when a platform process exits during the run. */
  failure(): string | undefined;
}

/**
 * Same set-up as the test suite (test/helpers/global.ts): an embedded PostgreSQL in a temp
 * directory, then the four subgraphs, the worker and the router on free loopback ports.
 */
export async function startBenchPlatform(cleanup: Cleanup): Promise<BenchPlatform> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-bench-'));
  fs.chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root
  cleanup.add('remove data dir', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const database = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
  cleanup.add('stop PostgreSQL', () => database.stop());
  const env: Record<string, string> = {
    NODE_ENV: 'test', // production would require real secrets
    DATABASE_URL: database.url,
    PORT: String(await freePort()),
    TENANCY_PORT: String(await freePort()),
    BILLING_PORT: String(await freePort()),
    AGENTS_PORT: String(await freePort()),
    ENTITIES_PORT: String(await freePort()),
    TRUST_PROXY: 'true', // seeding registers each user from its own X-Forwarded-For
    LOG_LEVEL: 'error',
    AUTH_RATE_LIMIT_FACTOR: String(AUTH_RATE_LIMIT_FACTOR),
  };
  const config = loadConfig({ ...process.env, ...env });
  let failure: string | undefined;
  const running = await startPlatform({
    config,
    env,
    output: 'ignore',
    onExit: (name, code) => (failure ??= `platform process "${name}" exited with code ${code} during the run`),
  });
  cleanup.add('stop platform', () => running.stop());
  return { config, env, routerUrl: running.routerUrl, databaseUrl: running.databaseUrl, failure: () => failure };
}

/** A tenant with a secret and a public key, made by the real bootstrap CLI. */
export async function createTenant(platform: BenchPlatform): Promise<BenchTenant> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', '@swc-node/register', 'scripts/tenant-create.ts', '--name', 'Bench', '--json'],
    { cwd: ROOT, env: { ...process.env, ...platform.env } },
  );
  return JSON.parse(stdout) as BenchTenant;
}

/** bench/apollo-gateway.ts in its own process on a free port; resolves to its GraphQL URL. */
export async function startApolloGateway(cleanup: Cleanup, platform: BenchPlatform, tenantId: string): Promise<string> {
  const port = await freePort();
  const child = spawnTs('bench/apollo-gateway.ts', ['--port', String(port), '--tenant-id', tenantId], platform.env, ['ignore', 'ignore', 'inherit', 'ipc']);
  cleanup.add('stop Apollo gateway', () => stopChild(child));
  await waitForHttp(`http://127.0.0.1:${port}/health`, child);
  return `http://127.0.0.1:${port}/graphql`;
}
