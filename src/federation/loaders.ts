import { isUuid } from '../validation';
import type { SubgraphContext } from './context';

/**
 * A tenant-scoped DataLoader, declared once next to its service and created per request (so
 * batching spans the whole request and nothing is cached across requests or tenants).
 */
export interface LoaderDefinition<V> {
  /** Unique per subgraph; also the loader's name in logs. */
  readonly name: string;
  batch(tenantId: string, keys: readonly string[]): Promise<V[]>;
}

/** Rows by id (a missing or malformed id loads as null). */
export function loaderById<T extends { id: string }>(name: string, fetch: (tenantId: string, ids: string[]) => Promise<T[]>): LoaderDefinition<T | null> {
  return {
    name,
    async batch(tenantId, ids) {
      const rows = await fetch(tenantId, ids.filter(isUuid));
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    },
  };
}

/** Rows grouped by a key such as an owner id (one-to-many fields; a malformed key loads as []). */
export function loaderByGroup<T>(name: string, fetch: (tenantId: string, keys: string[]) => Promise<T[]>, keyOf: (row: T) => string): LoaderDefinition<T[]> {
  return {
    name,
    async batch(tenantId, keys) {
      const rows = await fetch(tenantId, keys.filter(isUuid));
      const groups = new Map<string, T[]>();
      for (const row of rows) {
        const key = keyOf(row);
        const list = groups.get(key);
        if (list) list.push(row);
        else groups.set(key, [row]);
      }
      return keys.map((key) => groups.get(key) ?? []);
    },
  };
}

/** Loads `key` through the request's loader for `definition`, scoped to `tenantId`. */
export function load<V>(context: SubgraphContext, definition: LoaderDefinition<V>, tenantId: string, key: string): Promise<V> {
  return context.loader<string, V>(`${definition.name}:${tenantId}`, (keys) => definition.batch(tenantId, keys)).load(key);
}
