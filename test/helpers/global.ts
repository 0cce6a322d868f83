import { startIsolatedPlatform, type IsolatedPlatform } from '../../scripts/isolated-platform';
import { startSharedFakeOpenAi, stopSharedFakeOpenAi } from './fake-openai';
import { startSharedFakeStripe, stopSharedFakeStripe } from './fake-stripe';

/**
 * One real platform for the whole suite (scripts/isolated-platform.ts): an embedded PostgreSQL in
 * a temp directory, the four subgraphs, the worker and the router, each its own process on free
 * loopback ports. TRUST_PROXY lets each test act from its own client IP for rate limits.
 * TEST_LOG_LEVEL=info shows the processes' logs.
 */
export type TestPlatform = IsolatedPlatform;

let current: TestPlatform | undefined;
const stopHooks: Array<() => Promise<unknown>> = [];

/** Runs `hook` before the platform stops (e.g. to close a test's own database connections). */
export function onPlatformStop(hook: () => Promise<unknown>): void {
  stopHooks.push(hook);
}

export function testPlatform(): TestPlatform {
  if (!current) throw new Error('test platform not started');
  return current;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    const logLevel = process.env.TEST_LOG_LEVEL;
    current = await startIsolatedPlatform({
      name: 'test',
      env: {
        ...(logLevel ? { LOG_LEVEL: logLevel } : {}),
        // Webhook tests deliver to scripted receivers on loopback, with a schedule shrunk to seconds.
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        WEBHOOK_RETRY_SCHEDULE: '0,1,1',
        WEBHOOK_TIMEOUT_MS: '1500',
        // A delivery lost with a killed process runs again within seconds (test/webhooks/crash-redelivery.test.ts).
        JOBS_MAINTENANCE_INTERVAL_SECONDS: '1',
        // Agents chat with a fake OpenAI-compatible provider on loopback (test/helpers/fake-openai.ts).
        ...(await startSharedFakeOpenAi()),
        // Stripe is a fake on loopback (test/helpers/fake-stripe.ts); tenants opt in with setPaymentProvider.
        ...(await startSharedFakeStripe()),
      },
      output: logLevel ? 'inherit' : 'tail',
      // A service that dies mid-suite fails many unrelated tests; say which one died and why.
      onExit: (name, code, lastOutput) =>
        console.error(`\n[test platform] ${name} exited (code ${code}) during the suite; its last output:\n${lastOutput.join('\n')}\n`),
    });
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await Promise.all(stopHooks.splice(0).map((hook) => hook()));
    await current?.stop();
    await stopSharedFakeOpenAi();
    await stopSharedFakeStripe();
  },
};
