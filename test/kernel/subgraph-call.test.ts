import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { buildSchema, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { callSubgraph, closeSubgraphConnections } from '../../src/federation/subgraph-call';
import { IDENTITY_EXTENSION, verifyIdentity } from '../../src/identity';

const SECRET = 'subgraph-call-test-secret';
const IDENTITY = { requestId: 'r', ip: '127.0.0.1', tenantId: 't' };

/**
 * A subgraph stand-in on loopback speaking graphql-ws: answers `{ answer }` with the number of
 * operations it has seen, refuses an operation whose signed identity does not verify, and with
 * `dropNth` closes the connection of its Nth operation without answering (as a subgraph that
 * stops or restarts does).
 */
async function fakeSubgraph(dropNth: number[] = []) {
  const seen: Array<{ connection: number; verified: boolean }> = [];
  const connectionOf = new WeakMap<WebSocket, number>();
  let connections = 0;
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', path: '/graphql' });
  await once(server, 'listening');
  server.on('connection', (socket) => connectionOf.set(socket, ++connections));
  useServer<Record<string, unknown> | undefined, { socket: WebSocket }>(
    {
      schema: buildSchema('type Query { answer(x: Int): Int }'),
      roots: { query: { answer: () => seen.length } },
      onSubscribe: (ctx, _id, payload) => {
        const verified = !!verifyIdentity(payload.extensions?.[IDENTITY_EXTENSION], payload as never, SECRET);
        seen.push({ connection: connectionOf.get(ctx.extra.socket)!, verified });
        if (dropNth.includes(seen.length)) ctx.extra.socket.terminate();
        if (!verified) return [new GraphQLError('Missing or invalid internal identity', { extensions: { code: 'UNAUTHENTICATED' } })];
      },
    },
    server,
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('callSubgraph: signed queries to another subgraph over one kept-open graphql-ws connection', () => {
  afterEach(() => closeSubgraphConnections());

  it('signs each call for its operation and sends calls in a row on one connection', async () => {
    const subgraph = await fakeSubgraph();
    try {
      const first = await callSubgraph<{ answer: number }>(subgraph.url, SECRET, IDENTITY, { query: 'query($x: Int) { answer(x: $x) }', variables: { x: 1 } });
      const second = await callSubgraph<{ answer: number }>(subgraph.url, SECRET, IDENTITY, { query: '{ answer }' });
      assert.deepEqual([first.data, second.data], [{ answer: 1 }, { answer: 2 }]);
      assert.deepEqual(subgraph.seen, [
        { connection: 1, verified: true },
        { connection: 1, verified: true },
      ]);
    } finally {
      await subgraph.close();
    }
  });

  it('answers a refused operation with its errors, as the subgraph sent them', async () => {
    const subgraph = await fakeSubgraph();
    try {
      const answer = await callSubgraph(subgraph.url, 'another-secret', IDENTITY, { query: '{ answer }' });
      assert.equal(answer.data, undefined);
      assert.deepEqual(
        answer.errors?.map((e) => [e.message, e.extensions?.code]),
        [['Missing or invalid internal identity', 'UNAUTHENTICATED']],
      );
    } finally {
      await subgraph.close();
    }
  });

  it('sends a call once more on a new connection when its connection closes before the answer; twice is an error', async () => {
    const subgraph = await fakeSubgraph([2, 4, 5]);
    try {
      await callSubgraph(subgraph.url, SECRET, IDENTITY, { query: '{ answer }' });
      // The 2nd operation's connection closes unanswered: the 3rd, on a new connection, answers it.
      const retried = await callSubgraph<{ answer: number }>(subgraph.url, SECRET, IDENTITY, { query: '{ answer }' });
      assert.deepEqual(retried.data, { answer: 3 });
      assert.deepEqual(
        subgraph.seen.map((s) => s.connection),
        [1, 1, 2],
      );
      // The 4th and 5th are both dropped: the call fails, sent no third time.
      await assert.rejects(callSubgraph(subgraph.url, SECRET, IDENTITY, { query: '{ answer }' }), /closed the connection/);
      assert.equal(subgraph.seen.length, 5);
    } finally {
      await subgraph.close();
    }
  });

  it('fails with a clear error when nothing listens', async () => {
    await assert.rejects(callSubgraph('http://127.0.0.1:9/graphql', SECRET, IDENTITY, { query: '{ a }' }), /ECONNREFUSED/);
  });
});
