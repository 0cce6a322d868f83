import { Client } from 'pg';
import type { BenchPlatform } from './setup';

/**
 * Usage metering for the bench: an organization on a plan with a token limit (plan and
 * subscription rows as billing reads its limits), and the overshoot check of consume at the limit.
 */
export interface UsageOrganization {
  organizationId: string;
  userId: string;
}

async function sql(platform: BenchPlatform, text: string, params: unknown[]): Promise<any[]> {
  const db = new Client({ connectionString: platform.databaseUrl });
  await db.connect();
  try {
    return (await db.query(text, params)).rows;
  } finally {
    await db.end();
  }
}

/** An organization owned by the signed-in end user, on a plan allowing `maxTokens` a period. */
export async function usageOrganization(platform: BenchPlatform, tenantId: string, endUserHeaders: Record<string, string>, maxTokens: number): Promise<UsageOrganization> {
  const headers = { ...endUserHeaders, 'content-type': 'application/json' };
  const slug = `usage-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const created = await fetch(`${platform.routerUrl}/v1/organizations`, { method: 'POST', headers, body: JSON.stringify({ name: 'Usage bench', slug }) });
  if (created.status !== 201) throw new Error(`create organization: ${created.status} ${await created.text()}`);
  const organizationId = ((await created.json()) as { id: string }).id;
  const me = (await (await fetch(`${platform.routerUrl}/v1/auth/me`, { headers })).json()) as { id: string };
  const [plan] = await sql(
    platform,
    `INSERT INTO billing.plans (tenant_id, name, price_monthly_minor, price_yearly_minor, currency, max_tokens_per_month)
     VALUES ($1, 'Bench plan', 0, 0, 'usd', $2) RETURNING id`,
    [tenantId, maxTokens],
  );
  await sql(
    platform,
    `INSERT INTO billing.subscriptions (tenant_id, organization_id, plan_id, billing_interval, status, current_period_start, current_period_end, provider)
     VALUES ($1, $2, $3, 'month', 'active', now() - interval '1 day', now() + interval '29 days', 'local')`,
    [tenantId, organizationId, plan.id],
  );
  return { organizationId, userId: me.id };
}

export const consumeBody = (org: UsageOrganization) => JSON.stringify({ tokens: 1, usage_type: 'tokens', user_id: org.userId, organization_id: org.organizationId });

export interface OvershootResult {
  clients: number;
  limit: number;
  accepted: number;
  refused: number;
  counter: number;
  overshoots: number;
}

/**
 * `clients` concurrent clients consume one token each, in a loop, on an organization whose
 * limit is `limit` tokens, until each got a 402: the counter must end exactly at the limit.
 */
export async function consumeAtTheLimit(platform: BenchPlatform, org: UsageOrganization, headers: Record<string, string>, clients: number, limit: number): Promise<OvershootResult> {
  let accepted = 0;
  let refused = 0;
  const client = async () => {
    for (;;) {
      const response = await fetch(`${platform.routerUrl}/v1/usage/consume`, { method: 'POST', headers, body: consumeBody(org) });
      await response.arrayBuffer();
      if (response.status === 200) accepted += 1;
      else if (response.status === 402) return void (refused += 1);
      else throw new Error(`consume answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const [row] = await sql(
    platform,
    `SELECT coalesce(sum(value), 0)::float8 AS value FROM billing.usage_counters
      WHERE organization_id = $1 AND user_id = '00000000-0000-0000-0000-000000000000' AND meter = 'tokens'`,
    [org.organizationId],
  );
  const counter = Number(row.value);
  return { clients, limit, accepted, refused, counter, overshoots: Math.max(0, counter - limit) + Math.max(0, accepted - limit) };
}
