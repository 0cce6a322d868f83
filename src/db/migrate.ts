import { Client } from 'pg';
import { createDataSource } from './data-source';

export interface MigrationSet {
  /** PostgreSQL schema owned by this set. */
  schema: string;
  migrations: Function[];
}

/** Any fixed number: serialises migration runs from concurrent processes. */
const MIGRATION_LOCK = 724_113_001;

/**
 * Creates each schema and applies its pending migrations, one set after another, holding a
 * cluster-wide advisory lock so concurrent starters (replicas, the CLI) never race.
 */
export async function runMigrations(url: string, sets: MigrationSet[], afterwards?: (client: Client) => Promise<void>): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  const applied: string[] = [];
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    for (const set of sets) {
      await lock.query(`CREATE SCHEMA IF NOT EXISTS "${set.schema}"`);
      const dataSource = createDataSource({ url, schema: set.schema, migrations: set.migrations, poolSize: 1 });
      await dataSource.initialize();
      try {
        const done = await dataSource.runMigrations({ transaction: 'each' });
        applied.push(...done.map((m) => `${set.schema}:${m.name}`));
      } finally {
        await dataSource.destroy();
      }
    }
    await afterwards?.(lock);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
  return applied;
}
