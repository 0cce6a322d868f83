import type { Identity } from '../identity';
import type { SubgraphContext } from './context';

type Reference = { id: string };

/**
 * A federation reference resolver (`__resolveReference`) with the one shared tenant guard: a
 * caller without a tenant resolves nothing, and `load` only ever sees the caller's tenant. The
 * type's access directive is checked on top of this by guard-schema.ts; `visible` adds a rule
 * that needs the row's data (e.g. an end user sees only themself).
 */
export function tenantReference<T>(
  load: (context: SubgraphContext, tenantId: string, id: string) => Promise<T | null>,
  visible: (identity: Identity, reference: Reference) => boolean = () => true,
) {
  return {
    __resolveReference(reference: Reference, context: SubgraphContext): Promise<T | null> | null {
      const tenantId = context.identity.tenantId;
      if (!tenantId || !visible(context.identity, reference)) return null;
      return load(context, tenantId, reference.id);
    },
  };
}
