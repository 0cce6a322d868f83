import { SUBGRAPH_NAMES, type Config, type SubgraphName } from '../src/config';
import { readAllSubgraphMetrics, type SubgraphMetrics } from '../src/federation/metrics';

export type SqlTotals = Record<SubgraphName, number>;

export interface SqlPerRequest {
  first: number;
  offset: number;
  total: number;
  bySubgraph: SqlTotals;
}

const pick = (metrics: Record<SubgraphName, SubgraphMetrics>, key: keyof SubgraphMetrics): SqlTotals =>
  Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, metrics[name][key]])) as SqlTotals;

const sum = (totals: SqlTotals): number => SUBGRAPH_NAMES.reduce((acc, name) => acc + totals[name], 0);

/** GraphQL requests all subgraphs have executed (`graphql_requests_total`). */
export async function readSubgraphRequests(config: Config): Promise<number> {
  return sum(pick(await readAllSubgraphMetrics(config.subgraphUrls), 'requests'));
}

/**
 * Waits until no subgraph runs SQL for a second: event consumers (registrations, logins) work
 * in the background after the requests that caused them have been answered.
 */
export async function waitForQuietSql(config: Config, timeoutMs = 60_000): Promise<boolean> {
  const allSql = async () => sum(pick(await readAllSubgraphMetrics(config.subgraphUrls), 'sql'));
  const deadline = Date.now() + timeoutMs;
  let last = await allSql();
  let stillFor = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = await allSql();
    stillFor = now === last ? stillFor + 250 : 0;
    last = now;
    if (stillFor >= 1000) return true;
  }
  return false;
}

/** SQL statements all subgraphs sent while serving the one request `send` makes. */
export async function sqlForOneRequest(config: Config, first: number, offset: number, send: () => Promise<void>): Promise<SqlPerRequest> {
  await waitForQuietSql(config); // nothing else in flight
  const before = pick(await readAllSubgraphMetrics(config.subgraphUrls), 'requestSql');
  await send();
  const after = pick(await readAllSubgraphMetrics(config.subgraphUrls), 'requestSql');
  const bySubgraph = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, after[name] - before[name]])) as SqlTotals;
  return { first, offset, total: sum(bySubgraph), bySubgraph };
}
