import type { PlanLimits } from '../subscription/billing-period';

/**
 * The meters billing counts per organization and per user per billing period. Amounts are
 * integers: cost in micro-dollars (1 USD = 1,000,000), storage in bytes.
 */
export const METERS = {
  messages: 'messages',
  tokens: 'tokens',
  inputTokens: 'input_tokens',
  outputTokens: 'output_tokens',
  costMicroUsd: 'cost_micro_usd',
  apiCalls: 'api_calls',
  storageBytes: 'storage_bytes',
} as const;
export type Meter = (typeof METERS)[keyof typeof METERS];

/** What `/v1/usage/check` and `/consume` may name as `usage_type`, and the meter each counts. */
export const USAGE_TYPES: Readonly<Record<string, Meter>> = { tokens: METERS.tokens, messages: METERS.messages };

/** The plan's limit on a meter per period (null: unlimited). */
export function limitOf(meter: string, limits: PlanLimits): number | null {
  if (meter === METERS.messages) return limits.maxMessagesPerMonth;
  if (meter === METERS.tokens) return limits.maxTokensPerMonth;
  if (meter === METERS.costMicroUsd) return limits.maxCostMicroUsdPerMonth;
  return null;
}

export const MICRO_USD_PER_USD = 1_000_000;

/** The nil uuid: "no organization" / "the organization's total" in a counter's key. */
export const NO_ID = '00000000-0000-0000-0000-000000000000';
