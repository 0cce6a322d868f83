import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, type Logger as TypeOrmLogger, type MixedList, type EntitySchema } from 'typeorm';

/**
 * Counts SQL statements this process sends, in all and while serving GraphQL requests (exposed
 * on /internal/metrics; tests and the bench read it to prove lists do not cause N+1 queries).
 */
export const sqlStatistics = { queries: 0, requestQueries: 0 };

const requestScope = new AsyncLocalStorage<true>();

/** Runs `work` as part of serving a request, so its SQL counts as request SQL. */
export function countingRequestSql<T>(work: () => T): T {
  return requestScope.run(true, work);
}

/** Counts one statement (TypeORM's logger calls it; so do statements sent to the pool directly). */
export function countStatement(): void {
  sqlStatistics.queries += 1;
  if (requestScope.getStore()) sqlStatistics.requestQueries += 1;
}

class CountingLogger implements TypeOrmLogger {
  logQuery(): void {
    countStatement();
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

export interface DataSourceOptions {
  url: string;
  /** The PostgreSQL schema this data source owns (also where its migrations table lives). */
  schema: string;
  entities?: MixedList<Function | string | EntitySchema>;
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities ?? [],
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['query'],
    logger: new CountingLogger(),
    applicationName: options.applicationName ?? options.schema,
    extra: { max: options.poolSize ?? 10 },
  });
}
