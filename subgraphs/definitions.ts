import type { SubgraphName } from '../src/config';

/** Where each subgraph's process entry point lives (for the launcher and the SDL printer). */
export const SUBGRAPH_ENTRIES: Record<SubgraphName, string> = {
  tenancy: 'subgraphs/tenancy/index.ts',
  billing: 'subgraphs/billing/index.ts',
  agents: 'subgraphs/agents/index.ts',
  entities: 'subgraphs/entities/index.ts',
};
