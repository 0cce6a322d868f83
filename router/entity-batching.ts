import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { IDENTITY_EXTENSION, type Identity } from '../src/identity';
import type { IdentitySigner } from './identity-forwarding';

/** Calls of one kind that may run at once before further ones wait and get merged. */
const MAX_IN_FLIGHT = 2;
/** Bound on one merged call, so a burst cannot build an unbounded request. */
const MAX_REPRESENTATIONS = 1000;

type FetchFn = (url: string, options: RequestInit) => Promise<Response>;

interface EntityFetch {
  url: string;
  options: RequestInit;
  fetchFn: FetchFn;
  identity: Identity;
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

/** What makes two entity fetches mergeable: nothing else (in particular no extensions) counts. */
export interface LaneKey {
  /** The subgraph's URL. */
  subgraph: string;
  query: string;
  operationName: string | null;
  /** IdentitySigner.callerKey: everything the signature says about the caller. */
  caller: string;
}

export function laneKey(key: LaneKey): string {
  return JSON.stringify([key.subgraph, key.query, key.operationName, key.caller]);
}

/**
 * Cross-request entity batching. Entity fetches of one kind (same subgraph, same `_entities`
 * document, same signed caller: see LaneKey) that arrive in the same turn of the event loop, or
 * while MAX_IN_FLIGHT calls of that kind are already running, go as ONE subgraph call carrying
 * all their representations; each caller gets its slice of `_entities` back. Idle traffic waits
 * only for the end of the current turn; under load the subgraphs' per-call cost (HTTP, execution
 * set-up, one SQL statement) is shared by many requests. Only fetches of the identical caller
 * are merged: no answer ever crosses tenants or users. A merged call is a new operation (other
 * variables), so it is signed anew for the caller; a lone fetch goes out as it came, signed
 * by identity-forwarding.ts. The gateway runs onFetch after its in-flight deduplication, so
 * identical fetches are merged first and batched second.
 */
export function crossRequestEntityBatching(signer: IdentitySigner): GatewayPlugin {
  const lanes = new Map<string, Lane>();

  const pump = (key: string, lane: Lane) => {
    while (lane.inFlight < MAX_IN_FLIGHT && lane.waiting.length) {
      lane.inFlight += 1;
      run(takeBatch(lane), signer).finally(() => {
        lane.inFlight -= 1;
        pump(key, lane);
      });
    }
    const idle = lane.inFlight === 0 && lane.waiting.length === 0 && !lane.scheduled;
    if (idle && lanes.get(key) === lane) lanes.delete(key);
  };

  return {
    onFetch({ url, options, fetchFn, context, endResponse }) {
      const identity = (context as { identity?: Identity } | undefined)?.identity;
      if (!identity || options.method !== 'POST' || typeof options.body !== 'string' || !options.body.includes('"representations"')) return;
      const body = JSON.parse(options.body);
      const variables = body.variables;
      if (!variables || !Array.isArray(variables.representations) || Object.keys(variables).length !== 1) return;
      // Anything besides the signature (a request id, say) would be lost in a merge: send alone.
      if (!onlyTheSignature(body.extensions)) return;
      const key = laneKey({ subgraph: url, query: body.query, operationName: body.operationName || null, caller: signer.callerKey(identity) });
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { inFlight: 0, waiting: [], scheduled: false }));
      const laneRef = lane;
      endResponse(
        new Promise<Response>((resolve, reject) => {
          laneRef.waiting.push({ url, options: options as RequestInit, fetchFn: fetchFn as FetchFn, identity, body, resolve, reject });
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

function onlyTheSignature(extensions: unknown): boolean {
  if (!extensions || typeof extensions !== 'object') return false;
  const keys = Object.keys(extensions);
  return keys.length === 1 && keys[0] === IDENTITY_EXTENSION;
}

async function run(batch: EntityFetch[], signer: IdentitySigner): Promise<void> {
  const [first] = batch;
  if (batch.length === 1) {
    await first.fetchFn(first.url, first.options).then(first.resolve, first.reject);
    return;
  }
  try {
    const { query, operationName } = first.body;
    const variables = { representations: batch.flatMap((f) => f.body.variables.representations) };
    const signature = signer.sign(first.identity, { query, operationName, variables });
    const merged = { query, ...(operationName ? { operationName } : {}), variables, extensions: { [IDENTITY_EXTENSION]: signature } };
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
