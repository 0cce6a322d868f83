/** Anything that runs SQL: a TypeORM DataSource or EntityManager, or a pg Pool/Client. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** The rows of a result, whichever runner produced it (TypeORM returns rows, pg a result). */
export function rowsOf<T = any>(result: any): T[] {
  return Array.isArray(result) ? result : result.rows;
}
