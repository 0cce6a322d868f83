import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { config } from '../src/config';
import { openDatabase } from '../src/db/embedded';
import { DomainError } from '../src/errors';
import { isRateLimitTier, RATE_LIMIT_TIERS } from '../src/rate-limit-tiers';
import { migrateDatabase } from '../subgraphs/migrations';
import { bootstrapTenant, tenancyDataSource } from './tenant-bootstrap';

const USAGE = `Usage: npm run tenant:create -- --name "Acme" [--slug acme] [--tier ${RATE_LIMIT_TIERS.join('|')}] [--require-email-verification] [--json]`;

/** Bootstrap: a tenant with one secret key (all scopes) and one public key (any origin). */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      tier: { type: 'string', default: 'free' },
      'require-email-verification': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.name) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  if (!isRateLimitTier(values.tier)) {
    console.error(`--tier must be one of: ${RATE_LIMIT_TIERS.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  const tier = values.tier;
  const cfg = config();
  const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, port: cfg.embeddedPostgresPort });
  try {
    await migrateDatabase(database.url);
    const dataSource = tenancyDataSource(database.url);
    await dataSource.initialize();
    try {
      const result = await bootstrapTenant(dataSource, {
        name: values.name!,
        slug: values.slug,
        tier,
        requireEmailVerification: values['require-email-verification'],
      });
      if (values.json) console.log(JSON.stringify(result));
      else {
        console.log(`Tenant ${values.name} (${result.slug}, tier ${tier}) created: ${result.tenant_id}`);
        console.log(`  public key (browser, auth endpoints): ${result.public_key}`);
        console.log(`  secret key (server side, all scopes): ${result.secret_key}`);
        console.log('Keys are shown only once.');
      }
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await database.release();
  }
}

main().catch((error) => {
  console.error(error instanceof DomainError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error));
  process.exit(1);
});
