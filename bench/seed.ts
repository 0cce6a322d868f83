/**
 * Bench data, created through the router like a real client would: end users over REST, then
 * agents, usage and entity schemas over GraphQL with the tenant's secret key.
 */
export interface BenchTenant {
  tenant_id: string;
  slug: string;
  public_key: string;
  secret_key: string;
}

export interface SeedCounts {
  users: number;
  agents: number;
  usageRecords: number;
  entitySchemas: number;
}

export const SEED: SeedCounts = { users: 60, agents: 200, usageRecords: 60, entitySchemas: 20 };
export const PASSWORD = 'SecurePass123';

export interface SeededData extends SeedCounts {
  /** A user that the login scenarios sign in as. */
  loginEmail: string;
}

/** Runs `task(i)` for i in [0, count) with at most `parallel` in flight. */
async function times(count: number, parallel: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

async function graphql(routerUrl: string, secretKey: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(`${routerUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secretKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (!response.ok || body.errors?.length) throw new Error(`seed: GraphQL ${response.status} ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

export async function seed(routerUrl: string, tenant: BenchTenant): Promise<SeededData> {
  const userIds: string[] = new Array(SEED.users);
  const emails: string[] = new Array(SEED.users);
  // Registration hashes with argon2 (CPU-bound): a little parallelism is all two cores can use.
  await times(SEED.users, 4, async (i) => {
    emails[i] = `bench-user-${i}@example.com`;
    const response = await fetch(`${routerUrl}/v1/auth/register`, {
      method: 'POST',
      // One client IP per user, as the register limit is per IP.
      headers: { 'content-type': 'application/json', 'x-api-key': tenant.public_key, 'x-forwarded-for': `10.77.${i >> 8}.${i & 255}` },
      body: JSON.stringify({ email: emails[i], password: PASSWORD }),
    });
    const body = (await response.json()) as any;
    if (response.status !== 201) throw new Error(`seed: register ${response.status} ${JSON.stringify(body)}`);
    userIds[i] = body.user.id;
  });
  // Owners round-robin, so each 20-agent page references 20 different users.
  await times(SEED.agents, 8, async (i) => {
    await graphql(routerUrl, tenant.secret_key, 'mutation($input: CreateAgentInput!) { createAgent(input: $input) { id } }', {
      input: { name: `Agent ${i}`, model: 'gpt-4o-mini', ownerUserId: userIds[i % SEED.users] },
    });
  });
  await times(SEED.usageRecords, 8, async (i) => {
    await graphql(routerUrl, tenant.secret_key, 'mutation($input: RecordUsageInput!) { recordUsage(input: $input) { id } }', {
      input: { metric: 'tokens', quantity: 10, userId: userIds[i % SEED.users] },
    });
  });
  await times(SEED.entitySchemas, 8, async (i) => {
    await graphql(routerUrl, tenant.secret_key, 'mutation($input: CreateEntitySchemaInput!) { createEntitySchema(input: $input) { id } }', {
      input: { name: `schema_${i}`, fields: [{ name: 'title', type: 'string', required: true }], createdByUserId: userIds[i * 3] },
    });
  });
  return { ...SEED, loginEmail: emails[0] };
}
