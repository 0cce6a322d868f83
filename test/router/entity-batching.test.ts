import assert from 'node:assert/strict';
import { crossRequestEntityBatching } from '../../router/entity-batching';

const QUERY = 'query($representations:[_Any!]!){_entities(representations: $representations){...on EndUser{email}}}';

interface Call {
  url: string;
  representations: Array<{ id: string }>;
}

/** A subgraph stand-in: answers `_entities` after `delayMs`, failing entities whose id starts with "bad". */
function fakeSubgraph(delayMs: number) {
  const calls: Call[] = [];
  const fetchFn = async (url: string, options: RequestInit) => {
    const body = JSON.parse(String(options.body));
    calls.push({ url, representations: body.variables.representations });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const reps: Array<{ id: string }> = body.variables.representations;
    const errors = reps.flatMap((r, i) => (r.id.startsWith('bad') ? [{ message: `no ${r.id}`, path: ['_entities', i] }] : []));
    const data = { _entities: reps.map((r) => (r.id.startsWith('bad') ? null : { email: `${r.id}@example.com` })) };
    return Response.json(errors.length ? { data, errors } : { data });
  };
  return { calls, fetchFn };
}

/** Sends one entity fetch through the plugin, as the gateway would. */
function entityFetch(plugin: any, fetchFn: unknown, ids: string[], identity = 'caller-1', url = 'http://tenancy/graphql'): Promise<any> {
  let answer: Promise<Response> | undefined;
  const body = JSON.stringify({ query: QUERY, variables: { representations: ids.map((id) => ({ __typename: 'EndUser', id })) }, extensions: { platformIdentity: identity } });
  plugin.onFetch({ url, options: { method: 'POST', body }, fetchFn, endResponse: (r: Promise<Response>) => (answer = r) });
  assert.ok(answer, 'the plugin took the fetch');
  return answer!.then((r) => r.json());
}

describe('cross-request entity batching (router/entity-batching)', () => {
  it('merges fetches of the same turn, and those that arrive while calls are in flight', async () => {
    const plugin = crossRequestEntityBatching();
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

  it('gives each caller only the errors about its own entities, with its own indexes', async () => {
    const plugin = crossRequestEntityBatching();
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

  it('never merges fetches of different callers or different subgraphs', async () => {
    const plugin = crossRequestEntityBatching();
    const subgraph = fakeSubgraph(20);
    await Promise.all([
      ...[1, 2, 3, 4].map((n) => entityFetch(plugin, subgraph.fetchFn, [`t${n}`], 'tenant-a')),
      ...[1, 2, 3, 4].map((n) => entityFetch(plugin, subgraph.fetchFn, [`u${n}`], 'tenant-b')),
    ]);
    for (const call of subgraph.calls) {
      const owners = new Set(call.representations.map((r) => r.id[0]));
      assert.equal(owners.size, 1, `one caller per call: ${JSON.stringify(call.representations)}`);
    }
    assert.deepEqual(subgraph.calls.map((c) => c.representations.length), [4, 4]);
  });

  it('leaves every other subgraph request alone', () => {
    const plugin: any = crossRequestEntityBatching();
    let taken = false;
    const options = { method: 'POST', body: JSON.stringify({ query: '{ agents { id } }', variables: {} }) };
    plugin.onFetch({ url: 'http://agents/graphql', options, fetchFn: () => undefined, endResponse: () => (taken = true) });
    assert.equal(taken, false);
  });
});
