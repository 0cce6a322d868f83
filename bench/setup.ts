import { freePort, startIsolatedPlatform } from '../scripts/isolated-platform';
import { stopChild } from '../scripts/platform';
import { bootstrapTenant, tenancyDataSource } from '../scripts/tenant-bootstrap';
import type { Config } from '../src/config';
import { spawnTs, waitForHttp, type Cleanup } from './processes';
import type { BenchTenant } from './seed';

/** Login is limited to 10 per 15 min per IP; the bench logs in thousands of times from one IP. */
export const AUTH_RATE_LIMIT_FACTOR = 100_000;
/** /api/v1 allows each key API_RATE_LIMIT_PER_MINUTE requests (default 1000); the bench sends far more with one key. */
export const API_RATE_LIMIT_PER_MINUTE = 10_000_000;

export interface BenchPlatform {
  config: Config;
  /** The environment every platform process got (the Apollo gateway child gets it too). */
  env: Record<string, string>;
  routerUrl: string;
  databaseUrl: string;
  /** Set when a platform process exits during the run. */
  failure(): string | undefined;
}

/** The same isolated platform as the test suite (scripts/isolated-platform.ts), with login limits lifted. */
export async function startBenchPlatform(cleanup: Cleanup): Promise<BenchPlatform> {
  let failure: string | undefined;
  const platform = await startIsolatedPlatform({
    name: 'bench',
    env: { AUTH_RATE_LIMIT_FACTOR: String(AUTH_RATE_LIMIT_FACTOR), API_RATE_LIMIT_PER_MINUTE: String(API_RATE_LIMIT_PER_MINUTE) },
    onExit: (name, code) => (failure ??= `platform process "${name}" exited with code ${code} during the run`),
  });
  cleanup.add('stop platform and PostgreSQL', () => platform.stop());
  return { config: platform.config, env: platform.env, routerUrl: platform.routerUrl, databaseUrl: platform.databaseUrl, failure: () => failure };
}

/** A tenant with a secret and a public key, made by the same bootstrap as `npm run tenant:create`. */
export async function createTenant(platform: BenchPlatform): Promise<BenchTenant> {
  const dataSource = await tenancyDataSource(platform.databaseUrl).initialize();
  try {
    return await bootstrapTenant(dataSource, { name: 'Bench' });
  } finally {
    await dataSource.destroy();
  }
}

/** bench/apollo-gateway.ts in its own process on a free port; resolves to its GraphQL URL. */
export async function startApolloGateway(cleanup: Cleanup, platform: BenchPlatform, tenantId: string): Promise<string> {
  const port = await freePort();
  const child = spawnTs('bench/apollo-gateway.ts', ['--port', String(port), '--tenant-id', tenantId], platform.env, ['ignore', 'ignore', 'inherit', 'ipc']);
  cleanup.add('stop Apollo gateway', () => stopChild(child));
  await waitForHttp(`http://127.0.0.1:${port}/health`, child);
  return `http://127.0.0.1:${port}/graphql`;
}
