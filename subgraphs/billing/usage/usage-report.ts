import type { BillingPeriod, PlanLimits } from '../subscription/billing-period';
import { limitOf, METERS, MICRO_USD_PER_USD } from './meters';
import type { CurrentUsage, Limit, MeterTotals, MeterUsage, UsageCheck } from './usage-metering.types';

/** Micro-dollars as the USD amount the wire shows (integer arithmetic until this last step). */
export const usdOf = (microUsd: number) => microUsd / MICRO_USD_PER_USD;

/** A meter against its limit; `scale` converts stored units to shown ones (micro-dollars → USD). */
function meterUsage(current: number, limit: number | null, scale = (v: number) => v): MeterUsage {
  if (limit === null) return { current: scale(current), max: 'unlimited', remaining: 'unlimited', percentage: 0 };
  const percentage = limit === 0 ? 100 : Math.round((current * 10000) / limit) / 100;
  return { current: scale(current), max: scale(limit), remaining: scale(Math.max(0, limit - current)), percentage };
}

export function currentUsageOf(
  organizationId: string,
  period: BillingPeriod,
  limits: PlanLimits,
  plan: { id: string; name: string } | null,
  values: Record<string, number>,
): CurrentUsage {
  const v = (meter: string) => values[meter] ?? 0;
  return {
    organizationId,
    periodStart: period.start,
    periodEnd: period.end,
    planId: plan?.id ?? null,
    planName: plan?.name ?? null,
    usage: {
      messages: meterUsage(v(METERS.messages), limits.maxMessagesPerMonth),
      costUsd: meterUsage(v(METERS.costMicroUsd), limits.maxCostMicroUsdPerMonth, usdOf),
      tokens: { total: v(METERS.tokens), input: v(METERS.inputTokens), output: v(METERS.outputTokens) },
      apiCalls: v(METERS.apiCalls),
      storageBytes: v(METERS.storageBytes),
    },
    error: null,
  };
}

export function meterTotalsOf(period: { start: Date; end: Date }, values: Record<string, number>): MeterTotals {
  const v = (meter: string) => values[meter] ?? 0;
  return {
    periodStart: period.start,
    periodEnd: period.end,
    messages: v(METERS.messages),
    tokens: v(METERS.tokens),
    inputTokens: v(METERS.inputTokens),
    outputTokens: v(METERS.outputTokens),
    costUsd: usdOf(v(METERS.costMicroUsd)),
    apiCalls: v(METERS.apiCalls),
    storageBytes: v(METERS.storageBytes),
  };
}

/** Whether `requested` more of a meter fits (requested null: the state alone). */
export function usageCheckOf(usageType: string, meter: string, current: number, limits: PlanLimits, requested: number | null): UsageCheck {
  const limit = limitOf(meter, limits);
  const remaining: Limit = limit === null ? 'unlimited' : Math.max(0, limit - current);
  const allowed = limit === null || current + (requested ?? 0) <= limit;
  const error = allowed ? null : `Usage limit exceeded for ${usageType}: used ${current} of ${limit}, requested ${requested ?? 0}`;
  return { allowed, usageType, currentUsage: current, maxLimit: limit ?? 'unlimited', remaining, requested, error };
}
