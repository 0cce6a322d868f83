import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { startPlatform, type RunningPlatform } from '../../scripts/platform';
import { freePort } from './ports';

/**
 * One real platform for the whole suite: an embedded PostgreSQL in a temp directory, the four
 * subgraphs, the worker and the router, each its own process on free loopback ports.
 * TRUST_PROXY lets each test act from its own client IP (X-Forwarded-For) for rate limits.
 */
export interface TestPlatform {
  config: Config;
  env: Record<string, string>;
  routerUrl: string;
  databaseUrl: string;
  running: RunningPlatform;
}

let current: TestPlatform | undefined;
let database: EmbeddedDatabase | undefined;
let dataDir: string | undefined;

export function testPlatform(): TestPlatform {
  if (!current) throw new Error('test platform not started');
  return current;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-test-'));
    fs.chmodSync(dataDir, 0o755);
    database = await startEmbeddedPostgres({ dataDir, port: await freePort(), persistent: false });
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      PORT: String(await freePort()),
      TENANCY_PORT: String(await freePort()),
      BILLING_PORT: String(await freePort()),
      AGENTS_PORT: String(await freePort()),
      ENTITIES_PORT: String(await freePort()),
      TRUST_PROXY: 'true',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL || 'error',
    };
    const config = loadConfig({ ...process.env, ...env });
    const running = await startPlatform({ config, env, output: process.env.TEST_LOG_LEVEL ? 'inherit' : 'ignore' });
    current = { config, env, routerUrl: running.routerUrl, databaseUrl: running.databaseUrl, running };
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await current?.running.stop();
    await database?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  },
};
