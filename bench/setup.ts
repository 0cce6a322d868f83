import { freePort, startIsolatedPlatform } from '../scripts/isolated-platform';
import { stopChild } from '../scripts/platform';
import { bootstrapTenant, tenancyDataSource } from '../scripts/tenant-bootstrap';
import type { Config } from '../src/config';
import { spawnTs, waitForHttp, type Cleanup } from './processes';
import type { BenchTenant } from './seed';

/** Login is limited to 10 per 15 min per IP; the bench logs in thousands of times from one IP. */
export const AUTH_RATE_LIMIT_FACTOR = 100_000;
/**
 * The bench tenant's tier: enterprise allows each key 200,000 requests a minute (rate + burst),
 * more than one key sends here in a minute, so rate limits cost what they cost but never refuse.
 */
export const BENCH_TIER = 'enterprise';

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
export async function startBenchPlatform(cleanup: Cleanup, env: Record<string, string> = {}): Promise<BenchPlatform> {
  let failure: string | undefined;
  const platform = await startIsolatedPlatform({
    name: 'bench',
    env: { AUTH_RATE_LIMIT_FACTOR: String(AUTH_RATE_LIMIT_FACTOR), ...env },
    onExit: (name, code) => (failure ??= `platform process "${name}" exited with code ${code} during the run`),
  });
  cleanup.add('stop platform and PostgreSQL', () => platform.stop());
  return { config: platform.config, env: platform.env, routerUrl: platform.routerUrl, databaseUrl: platform.databaseUrl, failure: () => failure };
}

/** A tenant with a secret and a public key, made by the same bootstrap as `npm run tenant:create`. */
export async function createTenant(platform: BenchPlatform): Promise<BenchTenant> {
  const dataSource = await tenancyDataSource(platform.databaseUrl).initialize();
  try {
    return await bootstrapTenant(dataSource, { name: 'Bench', tier: BENCH_TIER });
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

/**
 * A second router on the same subgraphs and database with rate limits off (RATE_LIMITS=false), to
 * measure what the limits cost next to the platform's own router; resolves to its GraphQL URL.
 */
export async function startRouterWithoutRateLimits(cleanup: Cleanup, platform: BenchPlatform): Promise<string> {
  const port = await freePort();
  const child = spawnTs('router/index.ts', [], { ...platform.env, PORT: String(port), RATE_LIMITS: 'false' }, ['ignore', 'ignore', 'inherit', 'ipc']);
  cleanup.add('stop the router without rate limits', () => stopChild(child));
  await waitForHttp(`http://127.0.0.1:${port}/api/health`, child);
  return `http://127.0.0.1:${port}/graphql`;
}
