import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { countStatement } from './data-source';

/** Anything that runs SQL: a TypeORM DataSource or EntityManager, or a pg Pool/Client. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** The rows of a result, whichever runner produced it (TypeORM returns rows, pg a result). */
export function rowsOf<T = any>(result: any): T[] {
  return Array.isArray(result) ? result : result.rows;
}

/** A statement PostgreSQL keeps prepared per connection under `name` (one text per name). */
export interface PreparedStatement {
  name: string;
  text: string;
}

/**
 * Runs a hot-path read as a named prepared statement, planned once per pooled connection instead
 * of on every call (billing's usage state: ≈0.55 ms a call unprepared, ≈0.15 ms prepared). A transaction's
 * EntityManager, which pins its own connection, runs it as plain SQL.
 */
export async function queryPrepared<T = any>(runner: SqlRunner, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  if (runner instanceof DataSource) {
    countStatement();
    const pool = (runner.driver as PostgresDriver).master as Pool;
    return (await pool.query({ ...statement, values })).rows;
  }
  if (runner instanceof Pool || runner instanceof Client) return (await runner.query({ ...statement, values })).rows;
  return rowsOf<T>(await runner.query(statement.text, values));
}
