import { runMigrations, type MigrationSet } from '../src/db/migrate';
import { createJobQueues, installJobsSchema } from '../src/events/jobs';
import { eventRegistry } from './consumers';
import { PlatformKernel1732000000000 } from '../src/db/platform-migrations/1732000000000-platform-kernel';
import { IdempotencyKeys1764000000400 } from '../src/db/platform-migrations/1764000000400-idempotency-keys';
import { agentsMigrations } from './agents/migrations';
import { billingMigrations } from './billing/migrations';
import { entitiesMigrations } from './entities/migrations';
import { tenancyMigrations } from './tenancy/migrations';
import { SUBGRAPH_NAMES, type SubgraphName } from './definitions';

/** Each subgraph's migrations, in its own PostgreSQL schema named after it. */
const SUBGRAPH_MIGRATIONS: Record<SubgraphName, MigrationSet['migrations']> = {
  tenancy: tenancyMigrations,
  billing: billingMigrations,
  agents: agentsMigrations,
  entities: entitiesMigrations,
};

/** Every schema's migrations, in the order they are applied: the kernel's, then the subgraphs' in list order. */
export const ALL_MIGRATIONS: MigrationSet[] = [
  { schema: 'platform', migrations: [PlatformKernel1732000000000, IdempotencyKeys1764000000400] },
  ...SUBGRAPH_NAMES.map((name) => ({ schema: name, migrations: SUBGRAPH_MIGRATIONS[name] })),
];

/** Brings a database up to date: every schema's migrations, then the job queue's schema and queues. */
export function migrateDatabase(url: string): Promise<string[]> {
  return runMigrations(url, ALL_MIGRATIONS, async (client) => {
    await installJobsSchema(client);
    await createJobQueues(client, eventRegistry().queues);
  });
}
