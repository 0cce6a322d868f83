import { buildEventRegistry } from '../src/events/registry';
import type { SubgraphDefinition } from '../src/federation/run-subgraph';
import { agentsSubgraph } from './agents/server';
import { billingSubgraph } from './billing/server';
import type { SubgraphName } from './definitions';
import { entitiesSubgraph } from './entities/server';
import { tenancySubgraph } from './tenancy/server';

// Keyed by SubgraphName: a new subgraph fails the type check until it is added here.
const DEFINITIONS: Record<SubgraphName, SubgraphDefinition> = {
  tenancy: tenancySubgraph,
  billing: billingSubgraph,
  agents: agentsSubgraph,
  entities: entitiesSubgraph,
};

export const SUBGRAPH_EVENT_OWNERS: readonly SubgraphDefinition[] = Object.values(DEFINITIONS);

/**
 * The one event registry, gathered from what each subgraph definition declares (its `events`,
 * `consumers` and `jobs`): the worker routes events to consumers' queues from it, and each
 * subgraph process runs its own part of the same declarations. Building it checks it (every
 * consumed event defined once, queues unique), so a mistake stops the worker and fails
 * test/events/registry.test.ts instead of losing events in production.
 */
export function eventRegistry() {
  return buildEventRegistry(SUBGRAPH_EVENT_OWNERS);
}
