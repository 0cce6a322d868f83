import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import { hashApiKey } from '../../src/auth/api-key-format';
import WebSocket from 'ws';
import { gqlData } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { makeApiKey } from '../helpers/factory';
import { createTenant, type TestTenant } from '../helpers/tenants';

const USAGE_UPDATED = `subscription($organizationId: ID!) {
  usageUpdated(organizationId: $organizationId) { organizationId metric quantity total }
}`;

function connect(connectionParams: Record<string, unknown>, origin?: string): Client {
  // A browser sends its Origin on the websocket handshake; ws lets a test pose as one.
  const webSocketImpl = origin
    ? class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { origin });
        }
      }
    : WebSocket;
  return createClient({ url: testPlatform().routerUrl.replace('http', 'ws') + '/graphql', webSocketImpl, connectionParams, retryAttempts: 0, lazy: true });
}

/** Collects subscription events; `until` resolves as soon as a condition on them holds. */
function collect(client: Client, query: string, variables: Record<string, unknown>) {
  const events: any[] = [];
  let failure: any;
  const waiters = new Set<() => void>();
  const changed = () => waiters.forEach((wake) => wake());
  const dispose = client.subscribe({ query, variables }, {
    next: (value) => (events.push(value), changed()),
    error: (error) => ((failure = error), changed()),
    complete: () => undefined,
  });
  /** Waits until `holds()` (true) or the subscription failed or `timeoutMs` passed (false). */
  function until(holds: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (!holds() && failure === undefined) return;
        finish();
      };
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(holds());
      };
      const timer = setTimeout(finish, timeoutMs);
      waiters.add(check);
      check();
    });
  }
  return { events, failure: () => failure, until, dispose };
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
        await mine.until(() => mine.events.length > 0, 200);
      }
      assert.ok(mine.events.length > 0, 'an event arrived');
      await recordUsage(tenant, organizationId, 5);
      const total = sent + 5;
      await mine.until(() => mine.events.some((e) => e.data?.usageUpdated.total === total), 5000);
      const last = mine.events.find((e) => e.data?.usageUpdated.total === total);
      assert.deepEqual(last?.data.usageUpdated, { organizationId, metric: 'messages', quantity: 5, total });
      assert.equal(theirs.events.length, 0, "another tenant's subscriber saw nothing");

      // Both sockets share one upstream connection to billing: each must still get only its own.
      await recordUsage(other, organizationId, 1000);
      await theirs.until(() => theirs.events.length > 0, 10_000);
      assert.deepEqual(theirs.events.map((e) => e.data.usageUpdated.quantity), [1000]);
      assert.ok(!mine.events.some((e) => e.data.usageUpdated.quantity === 1000), "the other tenant's usage did not reach this tenant");
    } finally {
      mine.dispose();
      theirs.dispose();
      await client.dispose();
      await stranger.dispose();
    }
  });

  it('closes a connection with an invalid API key with 4401 and the reason', async () => {
    const client = connect({ apiKey: 'sk_live_not-a-real-key' });
    const sub = collect(client, USAGE_UPDATED, { organizationId: randomUUID() });
    try {
      await sub.until(() => sub.failure() !== undefined, 10_000);
      assert.equal(sub.failure()?.code, 4401, `closed with 4401, got ${sub.failure()?.code}: ${sub.failure()?.reason}`);
      assert.match(sub.failure().reason, /API key/i);
      assert.equal(sub.events.length, 0);
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it("closes a public key's connection from an origin it does not allow with 4403", async () => {
    const publicKey = await makeApiKey(tenant.tenant_id, { type: 'public', allowedOrigins: ['https://app.example.com'] });
    const client = connect({ apiKey: publicKey }, 'https://evil.example.com');
    const sub = collect(client, USAGE_UPDATED, { organizationId: randomUUID() });
    try {
      await sub.until(() => sub.failure() !== undefined, 10_000);
      assert.equal(sub.failure()?.code, 4403, `closed with 4403, got ${sub.failure()?.code}: ${sub.failure()?.reason}`);
      assert.equal(sub.events.length, 0);
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it('authenticates every operation anew: a key revoked while its socket is open closes the socket with 4401 at the next one', async () => {
    const key = await makeApiKey(tenant.tenant_id, { type: 'secret', scopes: ['*'] });
    const client = connect({ apiKey: key });
    const first = collect(client, USAGE_UPDATED, { organizationId: randomUUID() });
    const db = new PgClient({ connectionString: testPlatform().databaseUrl });
    await db.connect();
    try {
      // The first operation runs: the socket is open and nothing failed.
      assert.equal(await first.until(() => first.failure() !== undefined, 1_000), false);
      await db.query(`UPDATE tenancy.api_keys SET revoked_at = now() WHERE key_hash = $1`, [hashApiKey(key)]);
      const second = collect(client, USAGE_UPDATED, { organizationId: randomUUID() });
      await second.until(() => second.failure() !== undefined, 10_000);
      assert.equal(second.failure()?.code, 4401, `closed with 4401, got ${second.failure()?.code}: ${second.failure()?.reason}`);
      assert.match(second.failure().reason, /API key/i);
      second.dispose();
    } finally {
      first.dispose();
      await client.dispose();
      await db.end();
    }
  });
});
