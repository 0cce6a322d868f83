/** The free plan every tenant starts with (created on first use, exactly once per tenant). */
export const DEFAULT_FREE_PLAN = {
  name: 'Free',
  description: 'Get started at no cost',
  priceMonthlyCents: 0,
  priceYearlyCents: 0,
  currency: 'usd',
  isFree: true,
  isDefault: true,
  features: ['Basic access'],
  maxMessagesPerMonth: 100,
  maxTokensPerMonth: null,
  maxCostMicroUsdPerMonth: 1_000_000,
  trialDays: 0,
} as const;
