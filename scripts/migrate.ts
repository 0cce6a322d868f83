import { config } from '../src/config';
import { migrateDatabase } from '../subgraphs/migrations';

/** Applies pending migrations to DATABASE_URL (docker-compose's `migrate` service). */
async function main(): Promise<void> {
  const { databaseUrl } = config();
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const applied = await migrateDatabase(databaseUrl);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
