import assert from 'node:assert/strict';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gqlData } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { createTenant, type TestTenant } from '../helpers/tenants';

const RECORD_CHANGED = `subscription($schemaId: ID!) { recordChanged(schemaId: $schemaId) { kind recordId schemaId } }`;

function connect(secretKey: string): Client {
  return createClient({ url: testPlatform().routerUrl.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${secretKey}` }, retryAttempts: 0, lazy: true });
}

describe('recordChanged subscription through the router', function () {
  this.timeout(60_000);
  let tenant: TestTenant;
  let other: TestTenant;

  before(async () => {
    [tenant, other] = await Promise.all([createTenant(), createTenant()]);
  });

  const createSchema = (t: TestTenant, name: string) =>
    gqlData(`mutation($name: String!) { createEntitySchema(input: {name: $name, fields: [{name: "n", type: "integer"}]}) { id } }`, { name }, { bearer: t.secret_key }).then((d) => d.createEntitySchema.id as string);
  const createRecord = (t: TestTenant, schemaId: string, n: number) =>
    gqlData(`mutation($schemaId: ID!, $data: JSONObject!) { createEntityRecord(schemaId: $schemaId, data: $data) { id } }`, { schemaId, data: { n } }, { bearer: t.secret_key }).then((d) => d.createEntityRecord.id as string);

  it('delivers each change of the schema’s records, only to its tenant and only for that schema', async () => {
    const schemaId = await createSchema(tenant, 'live');
    const otherSchemaId = await createSchema(tenant, 'quiet');
    const client = connect(tenant.secret_key);
    const stranger = connect(other.secret_key);
    const events: any[] = [];
    const strangers: any[] = [];
    const failures: unknown[] = [];
    const sink = (into: any[]) => ({ next: (v: any) => into.push(v), error: (e: unknown) => failures.push(e), complete: () => undefined });
    const disposeMine = client.subscribe({ query: RECORD_CHANGED, variables: { schemaId } }, sink(events));
    const disposeTheirs = stranger.subscribe({ query: RECORD_CHANGED, variables: { schemaId } }, sink(strangers));
    const waitFor = async (holds: () => boolean, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!holds() && failures.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(failures, []);
      return holds();
    };
    try {
      // The gateway opens its upstream socket lazily: write until the first event arrives.
      const warmups: string[] = [];
      const deadline = Date.now() + 30_000;
      while (events.length === 0 && Date.now() < deadline) {
        warmups.push(await createRecord(tenant, schemaId, 0));
        await waitFor(() => events.length > 0, 300);
      }
      assert.ok(events.length > 0, 'an event arrived');
      await createRecord(tenant, otherSchemaId, 1);
      const id = await createRecord(tenant, schemaId, 2);
      await gqlData(`mutation($id: ID!, $data: JSONObject!) { updateEntityRecord(id: $id, data: $data) { id } }`, { id, data: { n: 3 } }, { bearer: tenant.secret_key });
      await gqlData(`mutation($id: ID!) { deleteEntityRecord(id: $id) { id } }`, { id }, { bearer: tenant.secret_key });
      assert.ok(await waitFor(() => events.some((e) => e.data?.recordChanged.kind === 'deleted' && e.data.recordChanged.recordId === id)));
      const mine = events.map((e) => e.data.recordChanged).filter((c) => c.recordId === id);
      assert.deepEqual(mine.map((c) => c.kind), ['created', 'updated', 'deleted']);
      assert.ok(events.every((e) => e.data.recordChanged.schemaId === schemaId), 'no event of another schema');
      assert.ok(events.every((e) => warmups.includes(e.data.recordChanged.recordId) || e.data.recordChanged.recordId === id));
      assert.equal(strangers.length, 0, "another tenant's subscriber saw nothing");
    } finally {
      disposeMine();
      disposeTheirs();
      await client.dispose();
      await stranger.dispose();
    }
  });
});
