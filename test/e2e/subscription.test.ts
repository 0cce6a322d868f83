import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gqlData } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';

const USAGE_UPDATED = `subscription($organizationId: ID!) {
  usageUpdated(organizationId: $organizationId) { organizationId metric quantity total }
}`;

function connect(connectionParams: Record<string, unknown>): Client {
  return createClient({ url: testPlatform().routerUrl.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
}

/** Collects subscription events until `count` arrived (or the subscription errors). */
function collect(client: Client, query: string, variables: Record<string, unknown>) {
  const events: any[] = [];
  let failure: unknown;
  const dispose = client.subscribe({ query, variables }, {
    next: (value) => events.push(value),
    error: (error) => (failure = error),
    complete: () => undefined,
  });
  return { events, failure: () => failure, dispose };
}

async function recordUsage(tenant: TestTenant, organizationId: string, quantity: number): Promise<void> {
  await gqlData(`mutation($input: RecordUsageInput!) { recordUsage(input: $input) { id } }`, { input: { metric: 'messages', quantity, organizationId } }, { bearer: tenant.secret_key });
}

describe('subscriptions through the router (graphql-ws)', () => {
  let tenant: TestTenant;
  let other: TestTenant;

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
  });

  it('delivers live usage of an organization, and only to its own tenant', async () => {
    const organizationId = randomUUID();
    const client = connect({ authorization: `Bearer ${tenant.secret_key}` });
    const stranger = connect({ apiKey: other.secret_key });
    const mine = collect(client, USAGE_UPDATED, { organizationId });
    const theirs = collect(stranger, USAGE_UPDATED, { organizationId });
    try {
      // The gateway opens its upstream socket lazily: keep writing until the first event arrives.
      let sent = 0;
      const deadline = Date.now() + 30_000;
      while (mine.events.length === 0 && Date.now() < deadline) {
        assert.equal(mine.failure(), undefined);
        await recordUsage(tenant, organizationId, 1);
        sent += 1;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.ok(mine.events.length > 0, 'an event arrived');
      await recordUsage(tenant, organizationId, 5);
      const total = sent + 5;
      const deadline2 = Date.now() + 5000;
      while (!mine.events.some((e) => e.data?.usageUpdated.total === total) && Date.now() < deadline2) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const last = mine.events.find((e) => e.data?.usageUpdated.total === total);
      assert.deepEqual(last?.data.usageUpdated, { organizationId, metric: 'messages', quantity: 5, total });
      assert.equal(theirs.events.length, 0, "another tenant's subscriber saw nothing");

      // Both sockets share one upstream connection to billing: each must still get only its own.
      await recordUsage(other, organizationId, 1000);
      const deadline3 = Date.now() + 10_000;
      while (theirs.events.length === 0 && Date.now() < deadline3) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(theirs.events.map((e) => e.data.usageUpdated.quantity), [1000]);
      assert.ok(!mine.events.some((e) => e.data.usageUpdated.quantity === 1000), "the other tenant's usage did not reach this tenant");
    } finally {
      mine.dispose();
      theirs.dispose();
      await client.dispose();
      await stranger.dispose();
    }
  });

  it('refuses a connection with an invalid API key', async () => {
    const client = connect({ apiKey: 'sk_live_not-a-real-key' });
    const sub = collect(client, USAGE_UPDATED, { organizationId: randomUUID() });
    const deadline = Date.now() + 5000;
    while (!sub.failure() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(sub.failure(), 'subscription failed');
    sub.dispose();
    await client.dispose();
  });
});
