import { runMigrations, type MigrationSet } from '../src/db/migrate';
import { installJobsSchema } from '../src/events/jobs';
import { PlatformKernel1732000000000 } from '../src/db/platform-migrations/1732000000000-platform-kernel';
import { agentsMigrations } from './agents/migrations';
import { billingMigrations } from './billing/migrations';
import { entitiesMigrations } from './entities/migrations';
import { tenancyMigrations } from './tenancy/migrations';

/** Every schema's migrations, in the order they are applied. */
export const ALL_MIGRATIONS: MigrationSet[] = [
  { schema: 'platform', migrations: [PlatformKernel1732000000000] },
  { schema: 'tenancy', migrations: tenancyMigrations },
  { schema: 'billing', migrations: billingMigrations },
  { schema: 'agents', migrations: agentsMigrations },
  { schema: 'entities', migrations: entitiesMigrations },
];

/** Brings a database up to date: every schema's migrations, then the job queue's schema. */
export function migrateDatabase(url: string): Promise<string[]> {
  return runMigrations(url, ALL_MIGRATIONS, installJobsSchema);
}
