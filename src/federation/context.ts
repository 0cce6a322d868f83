import DataLoader from 'dataloader';
import type { Identity } from '../identity';
import type { Logger } from '../logger';

/** Per-request context of every subgraph resolver. */
export interface SubgraphContext {
  identity: Identity;
  log: Logger;
  /** A DataLoader created once per request under `name`; services use it through loaders.ts. */
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
