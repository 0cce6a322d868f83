import assert from 'node:assert/strict';
import { crossRequestEntityBatching, laneKey } from '../../router/entity-batching';
import { IdentitySigner } from '../../router/identity-forwarding';
import { verifyIdentity, type Identity } from '../../src/identity';

const QUERY = 'query($representations:[_Any!]!){_entities(representations: $representations){...on EndUser{email}}}';
const SECRET = 'test-secret-0123456789abcdef0123456789';

interface Call {
  url: string;
  representations: Array<{ id: string }>;
  /** Whom the signature names (verified like a subgraph does: for this very body). */
  tenantId: string | undefined;
}

const caller = (tenantId: string, requestId = 'r1'): Identity => ({ requestId, ip: '127.0.0.1', tenantId, keyType: 'secret', scopes: ['*'] });

/**
 * A subgraph stand-in: checks the signature against the body it received (a 401 otherwise), then
 * answers `_entities` after `delayMs`, failing entities whose id starts with "bad".
 */
function fakeSubgraph(delayMs: number) {
  const calls: Call[] = [];
  const fetchFn = async (url: string, options: RequestInit) => {
    const body = JSON.parse(String(options.body));
    const identity = verifyIdentity(body.extensions?.platformIdentity, body, SECRET);
    if (!identity) return Response.json({ errors: [{ message: 'Missing or invalid internal identity' }] }, { status: 401 });
    calls.push({ url, representations: body.variables.representations, tenantId: identity.tenantId });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const reps: Array<{ id: string }> = body.variables.representations;
    const errors = reps.flatMap((r, i) => (r.id.startsWith('bad') ? [{ message: `no ${r.id}`, path: ['_entities', i] }] : []));
    const data = { _entities: reps.map((r) => (r.id.startsWith('bad') ? null : { email: `${r.id}@example.com` })) };
    return Response.json(errors.length ? { data, errors } : { data });
  };
  return { calls, fetchFn };
}

const signer = new IdentitySigner(SECRET);

/** Sends one entity fetch through the plugin as the gateway would: signed by identity-forwarding, caller in the context. */
function entityFetch(plugin: any, fetchFn: unknown, ids: string[], identity = caller('tenant-1'), url = 'http://tenancy/graphql', query = QUERY): Promise<any> {
  let answer: Promise<Response> | undefined;
  const variables = { representations: ids.map((id) => ({ __typename: 'EndUser', id })) };
  const body = JSON.stringify({ query, variables, extensions: { platformIdentity: signer.sign(identity, { query, variables }) } });
  plugin.onFetch({ url, options: { method: 'POST', body }, fetchFn, context: { identity }, endResponse: (r: Promise<Response>) => (answer = r) });
  assert.ok(answer, 'the plugin took the fetch');
  return answer!.then((r) => r.json());
}

describe('cross-request entity batching (router/entity-batching)', () => {
  it('merges fetches of the same turn, and those that arrive while calls are in flight; merged calls are signed for what they carry', async () => {
    const plugin = crossRequestEntityBatching(signer);
    const subgraph = fakeSubgraph(20);
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const pending = [];
    pending.push(entityFetch(plugin, subgraph.fetchFn, ['a1', 'a2']), entityFetch(plugin, subgraph.fetchFn, ['b1', 'b2'])); // one turn: one call
    await nextTurn();
    await nextTurn();
    pending.push(entityFetch(plugin, subgraph.fetchFn, ['c1', 'c2'])); // second slot
    await nextTurn();
    await nextTurn();
    pending.push(entityFetch(plugin, subgraph.fetchFn, ['d1', 'd2']), entityFetch(plugin, subgraph.fetchFn, ['e1', 'e2'])); // both slots busy: wait
    const results = await Promise.all(pending);
    assert.deepEqual(subgraph.calls.map((c) => c.representations.length), [4, 2, 4]);
    results.forEach((result, i) => {
      const id = 'abcde'[i];
      assert.deepEqual(result, { data: { _entities: [{ email: `${id}1@example.com` }, { email: `${id}2@example.com` }] } });
    });
  });

  it('merges fetches of one caller across requests (request ids differ, the signed caller does not)', async () => {
    const plugin = crossRequestEntityBatching(signer);
    const subgraph = fakeSubgraph(20);
    await Promise.all([entityFetch(plugin, subgraph.fetchFn, ['a1'], caller('t', 'req-1')), entityFetch(plugin, subgraph.fetchFn, ['a2'], caller('t', 'req-2'))]);
    assert.deepEqual(subgraph.calls.map((c) => c.representations.length), [2]);
  });

  it('gives each caller only the errors about its own entities, with its own indexes', async () => {
    const plugin = crossRequestEntityBatching(signer);
    const subgraph = fakeSubgraph(20);
    const results = await Promise.all([
      entityFetch(plugin, subgraph.fetchFn, ['x1']),
      entityFetch(plugin, subgraph.fetchFn, ['x2']),
      entityFetch(plugin, subgraph.fetchFn, ['ok1', 'bad1']),
      entityFetch(plugin, subgraph.fetchFn, ['bad2', 'ok2']),
    ]);
    assert.equal(subgraph.calls.length, 1);
    assert.deepEqual(results[2].errors, [{ message: 'no bad1', path: ['_entities', 1] }]);
    assert.deepEqual(results[3].errors, [{ message: 'no bad2', path: ['_entities', 0] }]);
    assert.deepEqual(results[3].data._entities, [null, { email: 'ok2@example.com' }]);
  });

  it('never merges fetches of different callers, subgraphs or operations', async () => {
    const plugin = crossRequestEntityBatching(signer);
    const subgraph = fakeSubgraph(20);
    const otherQuery = QUERY.replace('{email}', '{email displayName}');
    await Promise.all([
      ...[1, 2, 3, 4].map((n) => entityFetch(plugin, subgraph.fetchFn, [`t${n}`], caller('tenant-a'))),
      ...[1, 2, 3, 4].map((n) => entityFetch(plugin, subgraph.fetchFn, [`u${n}`], caller('tenant-b'))),
      ...[1, 2].map((n) => entityFetch(plugin, subgraph.fetchFn, [`v${n}`], caller('tenant-a'), 'http://agents/graphql')),
      ...[1, 2].map((n) => entityFetch(plugin, subgraph.fetchFn, [`w${n}`], caller('tenant-a'), undefined, otherQuery)),
    ]);
    for (const call of subgraph.calls) {
      const owners = new Set(call.representations.map((r) => r.id[0]));
      assert.equal(owners.size, 1, `one caller, subgraph and operation per call: ${JSON.stringify(call.representations)}`);
    }
    assert.deepEqual(subgraph.calls.map((c) => [c.representations[0].id[0], c.representations.length, c.tenantId]), [
      ['t', 4, 'tenant-a'],
      ['u', 4, 'tenant-b'],
      ['v', 2, 'tenant-a'],
      ['w', 2, 'tenant-a'],
    ]);
  });

  it('keys lanes by subgraph, operation and signed caller only', () => {
    const key = { subgraph: 'http://tenancy/graphql', query: QUERY, operationName: null, caller: signer.callerKey(caller('a', 'req-1')) };
    assert.equal(laneKey(key), laneKey({ ...key, caller: signer.callerKey(caller('a', 'req-2')) }), 'the request id is not part of the caller');
    assert.notEqual(laneKey(key), laneKey({ ...key, caller: signer.callerKey(caller('b')) }));
    assert.notEqual(laneKey(key), laneKey({ ...key, caller: signer.callerKey({ ...caller('a'), scopes: ['users:read'] }) }));
    assert.notEqual(laneKey(key), laneKey({ ...key, query: `${QUERY} ` }));
    assert.notEqual(laneKey(key), laneKey({ ...key, operationName: 'Other' }));
    assert.notEqual(laneKey(key), laneKey({ ...key, subgraph: 'http://agents/graphql' }));
  });

  it('leaves every other subgraph request alone: other operations, no caller, extensions besides the signature', () => {
    const plugin: any = crossRequestEntityBatching(signer);
    let taken = 0;
    const send = (body: unknown, context: unknown) =>
      plugin.onFetch({ url: 'http://agents/graphql', options: { method: 'POST', body: JSON.stringify(body) }, fetchFn: () => undefined, context, endResponse: () => (taken += 1) });
    const identity = caller('a');
    const entities = { query: QUERY, variables: { representations: [{ __typename: 'EndUser', id: '1' }] } };
    send({ query: '{ agents { id } }', variables: {}, extensions: { platformIdentity: 'x' } }, { identity });
    send({ ...entities, extensions: { platformIdentity: 'x' } }, {});
    send({ ...entities, extensions: { platformIdentity: 'x', requestId: 'r' } }, { identity });
    assert.equal(taken, 0);
  });
});
