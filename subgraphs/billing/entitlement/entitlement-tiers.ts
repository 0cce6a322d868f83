/**
 * The tenant's own feature limits by its tier (`tenancy.tenants.tier`): the one table to edit.
 * null: unlimited. Monthly features reset with the calendar month (UTC); the others are totals.
 */
export const ENTITLEMENT_FEATURES = {
  end_users: { monthly: false },
  agents: { monthly: false },
  schemas: { monthly: false },
  storage: { monthly: false, unit: 'bytes' },
  messages: { monthly: true },
  api_calls: { monthly: true },
} as const satisfies Record<string, { monthly: boolean; unit?: string }>;
export type Feature = keyof typeof ENTITLEMENT_FEATURES;
export const FEATURES = Object.keys(ENTITLEMENT_FEATURES) as Feature[];

const GIB = 1024 ** 3;

export const TIER_ENTITLEMENTS: Readonly<Record<string, Readonly<Record<Feature, number | null>>>> = {
  free: { end_users: 100, agents: 3, schemas: 5, storage: 1 * GIB, messages: 1_000, api_calls: 10_000 },
  starter: { end_users: 1_000, agents: 10, schemas: 20, storage: 5 * GIB, messages: 10_000, api_calls: 100_000 },
  pro: { end_users: 10_000, agents: 50, schemas: 100, storage: 50 * GIB, messages: 100_000, api_calls: 1_000_000 },
  business: { end_users: 50_000, agents: 200, schemas: 500, storage: 200 * GIB, messages: 500_000, api_calls: 5_000_000 },
  agency: { end_users: 100_000, agents: 500, schemas: 1_000, storage: 500 * GIB, messages: 1_000_000, api_calls: 20_000_000 },
  enterprise: { end_users: null, agents: null, schemas: null, storage: null, messages: null, api_calls: null },
};

/** A tier's limits; an unknown tier gets the free tier's. */
export function entitlementsOf(tier: string): Readonly<Record<Feature, number | null>> {
  return TIER_ENTITLEMENTS[tier] ?? TIER_ENTITLEMENTS.free;
}

/** The counter a meter of usage metering also feeds, tenant-wide (messages across organizations...). */
export const FEATURE_OF_METER: Readonly<Record<string, Feature>> = { messages: 'messages', api_calls: 'api_calls', storage_bytes: 'storage', end_users: 'end_users' };
