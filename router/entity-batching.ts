import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/** Calls of one kind that may run at once before further ones wait and get merged. */
const MAX_IN_FLIGHT = 2;
/** Bound on one merged call, so a burst cannot build an unbounded request. */
const MAX_REPRESENTATIONS = 1000;

type FetchFn = (url: string, options: RequestInit) => Promise<Response>;

interface EntityFetch {
  url: string;
  options: RequestInit;
  fetchFn: FetchFn;
  body: { query: string; operationName?: string; variables: { representations: unknown[] }; extensions?: unknown };
  resolve(response: Response): void;
  reject(error: unknown): void;
}

interface Lane {
  inFlight: number;
  waiting: EntityFetch[];
  scheduled: boolean;
}

type EntitiesResult = { data?: { _entities?: unknown[] } | null; errors?: Array<{ path?: (string | number)[] }> };

/**
 * Cross-request entity batching. Entity fetches of one kind (same subgraph, same `_entities`
 * document, same signed caller identity) that arrive in the same turn of the event loop, or
 * while MAX_IN_FLIGHT calls of that kind are already running, go as ONE subgraph call carrying
 * all their representations; each caller gets its slice of `_entities` back. Idle traffic waits
 * only for the end of the current turn; under load the subgraphs' per-call cost (HTTP, execution
 * set-up, one SQL statement) is shared by many requests. Only fetches of the identical caller
 * are merged: no answer ever crosses tenants or users.
 */
export function crossRequestEntityBatching(): GatewayPlugin {
  const lanes = new Map<string, Lane>();

  const pump = (key: string, lane: Lane) => {
    while (lane.inFlight < MAX_IN_FLIGHT && lane.waiting.length) {
      lane.inFlight += 1;
      run(takeBatch(lane)).finally(() => {
        lane.inFlight -= 1;
        pump(key, lane);
      });
    }
    const idle = lane.inFlight === 0 && lane.waiting.length === 0 && !lane.scheduled;
    if (idle && lanes.get(key) === lane) lanes.delete(key);
  };

  return {
    onFetch({ url, options, fetchFn, endResponse }) {
      if (options.method !== 'POST' || typeof options.body !== 'string' || !options.body.includes('"representations"')) return;
      const body = JSON.parse(options.body);
      const variables = body.variables;
      if (!variables || !Array.isArray(variables.representations) || Object.keys(variables).length !== 1) return;
      const key = JSON.stringify([url, body.query, body.operationName ?? null, body.extensions ?? null]);
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { inFlight: 0, waiting: [], scheduled: false }));
      const laneRef = lane;
      endResponse(
        new Promise<Response>((resolve, reject) => {
          laneRef.waiting.push({ url, options: options as RequestInit, fetchFn: fetchFn as FetchFn, body, resolve, reject });
          if (laneRef.scheduled || laneRef.inFlight >= MAX_IN_FLIGHT) return; // rides with the next call
          laneRef.scheduled = true;
          setImmediate(() => {
            laneRef.scheduled = false;
            pump(key, laneRef);
          });
        }),
      );
    },
  };
}

function takeBatch(lane: Lane): EntityFetch[] {
  const batch: EntityFetch[] = [];
  let size = 0;
  while (lane.waiting.length) {
    const next = lane.waiting[0];
    const count = next.body.variables.representations.length;
    if (batch.length && size + count > MAX_REPRESENTATIONS) break;
    batch.push(lane.waiting.shift()!);
    size += count;
  }
  return batch;
}

async function run(batch: EntityFetch[]): Promise<void> {
  const [first] = batch;
  if (batch.length === 1) {
    await first.fetchFn(first.url, first.options).then(first.resolve, first.reject);
    return;
  }
  try {
    const merged = { ...first.body, variables: { representations: batch.flatMap((f) => f.body.variables.representations) } };
    const response = await first.fetchFn(first.url, { ...first.options, body: JSON.stringify(merged) });
    const result = (await response.json()) as EntitiesResult;
    let offset = 0;
    for (const one of batch) {
      const count = one.body.variables.representations.length;
      one.resolve(Response.json(sliceResult(result, offset, count), { status: response.status }));
      offset += count;
    }
  } catch (error) {
    for (const one of batch) one.reject(error);
  }
}

/** One caller's part of a merged `_entities` result: its entities and the errors about them. */
function sliceResult(result: EntitiesResult, offset: number, count: number) {
  const entities = result.data?._entities;
  const errors = (result.errors ?? []).flatMap((error) => {
    const index = error.path?.[0] === '_entities' ? error.path[1] : undefined;
    if (typeof index !== 'number') return [error]; // not about one entity: everyone sees it
    if (index < offset || index >= offset + count) return [];
    return [{ ...error, path: ['_entities', index - offset, ...error.path!.slice(2)] }];
  });
  const data = result.data === null ? null : { _entities: entities ? entities.slice(offset, offset + count) : entities };
  return errors.length ? { data, errors } : { data };
}
