/**
 * The subgraphs, listed once: the config reads each one's port and URL settings from here, the
 * launcher starts each entry, the SDL printer, composition, migrations, tests and the bench go
 * over the same list. Adding a subgraph starts here; the typed records keyed by `SubgraphName`
 * (migrations, SDL loaders) then fail the type check until the new one is filled in.
 * Data only: src/config.ts imports this, so it must not import any subgraph code.
 */
export const SUBGRAPHS = [
  { name: 'tenancy', portSetting: 'TENANCY_PORT', defaultPort: 4001, urlSetting: 'TENANCY_URL', entry: 'subgraphs/tenancy/index.ts' },
  { name: 'billing', portSetting: 'BILLING_PORT', defaultPort: 4002, urlSetting: 'BILLING_URL', entry: 'subgraphs/billing/index.ts' },
  { name: 'agents', portSetting: 'AGENTS_PORT', defaultPort: 4003, urlSetting: 'AGENTS_URL', entry: 'subgraphs/agents/index.ts' },
  { name: 'entities', portSetting: 'ENTITIES_PORT', defaultPort: 4004, urlSetting: 'ENTITIES_URL', entry: 'subgraphs/entities/index.ts' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const SUBGRAPH_NAMES: readonly SubgraphName[] = SUBGRAPHS.map((subgraph) => subgraph.name);
