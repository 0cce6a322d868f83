import { DataSource, type Logger as TypeOrmLogger, type MixedList, type EntitySchema } from 'typeorm';

/** Counts SQL statements this process sends (exposed on /internal/metrics; tests read it). */
export const sqlStatistics = { queries: 0 };

class CountingLogger implements TypeOrmLogger {
  logQuery(): void {
    sqlStatistics.queries += 1;
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
