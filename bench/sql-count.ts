import { SUBGRAPH_NAMES, type Config, type SubgraphName } from '../src/config';

export type SqlTotals = Record<SubgraphName, number>;

export interface SqlPerRequest {
  first: number;
  offset: number;
  total: number;
  bySubgraph: SqlTotals;
}

/** `sql_queries_total` of every subgraph (GET /internal/metrics next to its /graphql). */
export async function readSqlTotals(config: Config): Promise<SqlTotals> {
  const entries = await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const text = await (await fetch(config.subgraphUrls[name].replace(/\/graphql$/, '/internal/metrics'))).text();
      const match = /^sql_queries_total (\d+)$/m.exec(text);
      if (!match) throw new Error(`${name}: no sql_queries_total in /internal/metrics`);
      return [name, Number(match[1])] as const;
    }),
  );
  return Object.fromEntries(entries) as SqlTotals;
}

/**
 * GraphQL requests all subgraphs have executed (`graphql_requests_total`), or null when the
 * subgraphs do not publish that counter.
 */
export async function readSubgraphRequests(config: Config): Promise<number | null> {
  let total = 0;
  for (const name of SUBGRAPH_NAMES) {
    const text = await (await fetch(config.subgraphUrls[name].replace(/\/graphql$/, '/internal/metrics'))).text();
    const match = /^graphql_requests_total (\d+)$/m.exec(text);
    if (!match) return null;
    total += Number(match[1]);
  }
  return total;
}

const sum = (totals: SqlTotals): number => SUBGRAPH_NAMES.reduce((acc, name) => acc + totals[name], 0);

/**
 * Waits until no subgraph runs SQL for a second: event consumers (registrations, logins) work
 * in the background after the requests that caused them have been answered.
 */
export async function waitForQuietSql(config: Config, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let last = sum(await readSqlTotals(config));
  let stillFor = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = sum(await readSqlTotals(config));
    stillFor = now === last ? stillFor + 250 : 0;
    last = now;
    if (stillFor >= 1000) return true;
  }
  return false;
}

/** SQL statements all subgraphs ran for one request sent by `send` (nothing else in flight). */
export async function sqlForOneRequest(config: Config, first: number, offset: number, send: () => Promise<void>): Promise<SqlPerRequest> {
  if (!(await waitForQuietSql(config))) throw new Error('subgraphs kept running SQL; cannot count one request');
  const before = await readSqlTotals(config);
  await send();
  const after = await readSqlTotals(config);
  const bySubgraph = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, after[name] - before[name]])) as SqlTotals;
  return { first, offset, total: sum(bySubgraph), bySubgraph };
}
