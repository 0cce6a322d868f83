import type { SubgraphName } from '../config';
import { sqlStatistics } from '../db/data-source';

/** Counters a subgraph publishes on GET /internal/metrics (Prometheus text format). */
export interface SubgraphMetrics {
  /** GraphQL requests executed. */
  requests: number;
  /** Every SQL statement sent, event consumers included. */
  sql: number;
  /** SQL statements sent while serving GraphQL requests. */
  requestSql: number;
}

const NAMES: Record<keyof SubgraphMetrics, string> = {
  requests: 'graphql_requests_total',
  sql: 'sql_queries_total',
  requestSql: 'sql_queries_in_requests_total',
};

let graphqlRequests = 0;

export function countGraphqlRequest(): void {
  graphqlRequests += 1;
}

export function formatMetrics(): string {
  const values: SubgraphMetrics = { requests: graphqlRequests, sql: sqlStatistics.queries, requestSql: sqlStatistics.requestQueries };
  return (Object.keys(NAMES) as Array<keyof SubgraphMetrics>).map((key) => `${NAMES[key]} ${values[key]}\n`).join('');
}

/** Reads one subgraph's counters, given its GraphQL URL (the metrics live beside it). */
export async function readSubgraphMetrics(graphqlUrl: string): Promise<SubgraphMetrics> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/internal/metrics'))).text();
  const read = (key: keyof SubgraphMetrics): number => {
    const match = new RegExp(`^${NAMES[key]} (\\d+)$`, 'm').exec(text);
    if (!match) throw new Error(`${graphqlUrl}: no ${NAMES[key]} in /internal/metrics`);
    return Number(match[1]);
  };
  return { requests: read('requests'), sql: read('sql'), requestSql: read('requestSql') };
}

/** Every subgraph's counters. */
export async function readAllSubgraphMetrics(urls: Record<SubgraphName, string>): Promise<Record<SubgraphName, SubgraphMetrics>> {
  const entries = await Promise.all(Object.entries(urls).map(async ([name, url]) => [name, await readSubgraphMetrics(url)] as const));
  return Object.fromEntries(entries) as Record<SubgraphName, SubgraphMetrics>;
}
