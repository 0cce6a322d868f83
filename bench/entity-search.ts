import { Client } from 'pg';
import { searchSql } from '../subgraphs/entities/search/search-sql';
import type { EntitySchema } from '../subgraphs/entities/entity-schema/entity-schema.entity';
import { graphqlBody, graphqlCheck, type Scenario } from './scenarios';
import type { BenchTenant } from './seed';

/** Records of the one searched schema (the target: p99 under 50 ms at this size). */
export const ENTITY_SEARCH_RECORDS = 100_000;
const CATEGORIES = ['books', 'games', 'tools', 'music', 'films', 'toys', 'garden', 'food', 'sport', 'health'];
const SIZE = 20;

export interface EntitySearchData {
  schemaId: string;
  /** EXPLAIN ANALYZE of the page and count statements of one search, as the service runs them. */
  plan: string[];
}

/** Two filters (an enum equal, a number greater than) and an ordering by created_at, one page. */
const filtersOf = (category: string) => ({ category, price: { operator: 'gt', value: 900 } });

/**
 * A schema of the bench tenant (its own, no organization) with 100,000 records written in one
 * SQL statement (the API would take minutes), then analyzed, and the plan of one search.
 */
export async function seedEntitySearch(routerUrl: string, databaseUrl: string, tenant: BenchTenant): Promise<EntitySearchData> {
  const fieldsDefinition = { title: { type: 'string' }, category: { type: 'enum', values: CATEGORIES }, price: { type: 'integer', min: 0 } };
  const response = await fetch(`${routerUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.secret_key}` },
    body: graphqlBody('mutation($input: CreateEntitySchemaInput!) { createEntitySchema(input: $input) { id fields { name type required values } } }', {
      input: { name: 'Bench products', slug: 'bench-products', fieldsDefinition },
    }),
  });
  const body = (await response.json()) as { data?: { createEntitySchema: { id: string; fields: EntitySchema['fields'] } }; errors?: unknown };
  if (!body.data) throw new Error(`entity schema: ${JSON.stringify(body.errors)}`);
  const schema = body.data.createEntitySchema;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO entities.entity_records (tenant_id, schema_id, schema_version, data, created_at, updated_at)
       SELECT $1, $2, 1, jsonb_build_object('title', 'item ' || i, 'category', ($3::text[])[1 + i % 10], 'price', (i * 7919) % 1000), now() - i * interval '1 second', now()
       FROM generate_series(1, $4::int) AS i`,
      [tenant.tenant_id, schema.id, CATEGORIES, ENTITY_SEARCH_RECORDS],
    );
    await db.query('ANALYZE entities.entity_records');
    const sql = searchSql({ tenantId: tenant.tenant_id, organizationId: null }, { id: schema.id, fields: schema.fields } as EntitySchema, {
      filters: Object.entries(filtersOf('games')).map(([field, c]) => (typeof c === 'object' ? { field, ...c } : { field, operator: 'eq', value: c })),
      orderBy: 'created_at',
      orderDir: 'desc',
      page: 1,
      size: SIZE,
    });
    const explain = async (text: string, params: unknown[]) =>
      ((await db.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${text}`, params)).rows as Array<{ 'QUERY PLAN': string }>).map((r) => r['QUERY PLAN']);
    const plan = ['page:', ...(await explain(sql.rows, sql.rowsParams)), 'count:', ...(await explain(sql.count, sql.countParams))];
    return { schemaId: schema.id, plan };
  } finally {
    await db.end();
  }
}

/** The same search through REST and through GraphQL, varying the category so no two concurrent requests are alike. */
export function entitySearchScenarios(routerUrl: string, tenant: BenchTenant, schemaId: string): Scenario[] {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${tenant.secret_key}` };
  const graphqlSearch = `query($schemaId: ID!, $query: JSONObject) {
    searchEntityRecords(schemaId: $schemaId, query: $query, orderBy: "created_at", orderDir: "desc", size: ${SIZE}) { total items { id data createdAt } }
  }`;
  const underLoad: Scenario[] = [
    {
      id: 'entity-search-rest',
      title: `entity search over ${ENTITY_SEARCH_RECORDS.toLocaleString('en')} records, REST POST /v1/entity/records/search`,
      url: `${routerUrl}/v1/entity/records/search?order_by=created_at&order_dir=desc&size=${SIZE}`,
      headers,
      bodies: () => CATEGORIES.map((category) => JSON.stringify({ schema_id: schemaId, query: filtersOf(category) })),
      check: (status, body) => (status === 200 && body?.records?.length === SIZE && body.total > SIZE ? undefined : `status ${status}: ${JSON.stringify(body).slice(0, 300)}`),
    },
    {
      id: 'entity-search-graphql',
      title: `entity search over ${ENTITY_SEARCH_RECORDS.toLocaleString('en')} records, GraphQL searchEntityRecords`,
      url: `${routerUrl}/graphql`,
      headers,
      bodies: () => CATEGORIES.map((category) => graphqlBody(graphqlSearch, { schemaId, query: filtersOf(category) })),
      check: graphqlCheck((d) => d?.searchEntityRecords?.items?.length === SIZE && d.searchEntityRecords.total > SIZE),
    },
  ];
  // The latency of one search (the p99 target): the same requests from a single client, so no
  // request waits behind others for the two cores.
  const oneClient = underLoad.map((scenario) => ({ ...scenario, id: `${scenario.id}-1`, title: `${scenario.title}, one client`, connections: 1 }));
  return [...underLoad, ...oneClient];
}
