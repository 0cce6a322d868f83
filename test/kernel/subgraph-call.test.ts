import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { callSubgraph } from '../../src/federation/subgraph-call';
import { IDENTITY_EXTENSION, verifyIdentity } from '../../src/identity';

const SECRET = 'subgraph-call-test-secret';
const IDENTITY = { requestId: 'r', ip: '127.0.0.1', tenantId: 't' };

/**
 * A subgraph stand-in on loopback: answers each request with what it verified, except that
 * `dropNth` makes it close the socket of its Nth request without answering (as a server does
 * with a kept-alive socket it is just closing).
 */
async function fakeSubgraph(dropNth: number[] = []) {
  const seen: Array<{ socket: Socket; verified: boolean }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body);
      seen.push({ socket: req.socket, verified: !!verifyIdentity(request.extensions?.[IDENTITY_EXTENSION], request, SECRET) });
      if (dropNth.includes(seen.length)) return req.socket.destroy();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { answer: seen.length } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('callSubgraph: signed calls to another subgraph on kept-alive sockets', () => {
  it('signs each call for its operation and reuses one socket for calls in a row', async () => {
    const subgraph = await fakeSubgraph();
    try {
      const first = await callSubgraph<{ answer: number }>(subgraph.url, SECRET, IDENTITY, { query: '{ a }', variables: { x: 1 } });
      const second = await callSubgraph<{ answer: number }>(subgraph.url, SECRET, IDENTITY, { query: '{ b }' });
      assert.deepEqual([first.data, second.data], [{ answer: 1 }, { answer: 2 }]);
      assert.deepEqual(subgraph.seen.map((s) => s.verified), [true, true]);
      assert.equal(subgraph.seen[0].socket, subgraph.seen[1].socket);
    } finally {
      await subgraph.close();
    }
  });

  it('sends a call again on a new socket when the kept-alive one was closed under it; a fresh socket closed is an error', async () => {
    const subgraph = await fakeSubgraph([2, 4]);
    try {
      await callSubgraph(subgraph.url, SECRET, IDENTITY, { query: '{ a }' });
      // The 2nd request rides the kept-alive socket and is dropped: the 3rd, on a new socket, answers it.
      const retried = await callSubgraph<{ answer: number }>(subgraph.url, SECRET, IDENTITY, { query: '{ a }' });
      assert.deepEqual(retried.data, { answer: 3 });
      assert.notEqual(subgraph.seen[2].socket, subgraph.seen[1].socket);
      // The 4th rides the socket that answered the 3rd and is dropped: the 5th answers it.
      assert.deepEqual((await callSubgraph<{ answer: number }>(subgraph.url, SECRET, IDENTITY, { query: '{ a }' })).data, { answer: 5 });
    } finally {
      await subgraph.close();
    }
    const fresh = await fakeSubgraph([1]);
    try {
      await assert.rejects(callSubgraph(fresh.url, SECRET, IDENTITY, { query: '{ a }' }), /socket hang up|ECONNRESET/);
      assert.equal(fresh.seen.length, 1, 'not sent again');
    } finally {
      await fresh.close();
    }
  });

  it('fails with a clear error when nothing listens', async () => {
    await assert.rejects(callSubgraph('http://127.0.0.1:9/graphql', SECRET, IDENTITY, { query: '{ a }' }), /ECONNREFUSED/);
  });
});
