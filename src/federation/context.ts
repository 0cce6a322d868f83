import DataLoader from 'dataloader';
import type { Identity } from '../identity';
import type { Logger } from '../logger';

/** Per-request context of every subgraph resolver. */
export interface SubgraphContext {
  identity: Identity;
  log: Logger;
  /** A DataLoader created once per request under `name` (so batching spans the whole request). */
  loader<K, V>(name: string, batch: DataLoader.BatchLoadFn<K, V>): DataLoader<K, V>;
}

export function createSubgraphContext(identity: Identity, log: Logger): SubgraphContext {
  const loaders = new Map<string, DataLoader<any, any>>();
  return {
    identity,
    log: log.child({ requestId: identity.requestId, tenantId: identity.tenantId }),
    loader<K, V>(name: string, batch: DataLoader.BatchLoadFn<K, V>): DataLoader<K, V> {
      let loader = loaders.get(name);
      if (!loader) {
        loader = new DataLoader(batch);
        loaders.set(name, loader);
      }
      return loader as DataLoader<K, V>;
    },
  };
}

/** Orders rows to match DataLoader keys (missing rows become null). */
export function byKeys<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const map = new Map<K, T>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((key) => map.get(key) ?? null);
}

/** Groups rows under DataLoader keys (for one-to-many fields). */
export function groupByKeys<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}
