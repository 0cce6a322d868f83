import type { Identity } from '../../../src/identity';

/** Who is about to spend model usage, for the billing pre-check. */
export interface UsageRequest {
  /** The caller's identity, for asking other domains on their behalf. */
  identity?: Identity;
  tenantId: string;
  userId: string;
  organizationId: string | null;
  /** null for a plain completion (no agent). */
  agentId: string | null;
  model: string;
}

/**
 * Asked before every model call; throws (402 PAYMENT_REQUIRED) when the organization's usage is
 * exhausted. billing-usage-gate.ts asks billing; ALLOW_ALL_USAGE is for tests of other seams.
 */
export interface UsageGate {
  /** The organization a chat without one is billed to (the caller's default one), when known. */
  organizationOf?(identity: Identity): Promise<string | null>;
  assertCanSpend(request: UsageRequest): Promise<void>;
}

/**
 * The organization a model call spends for: the one named, else the caller's default one, which
 * the router's credential lookup usually named already (then this answers at once, with no call),
 * else asked of tenancy through the gate. null: metered to the user alone.
 */
export function organizationToSpend(gate: UsageGate, named: string | null | undefined, identity: Identity | undefined): string | null | Promise<string | null> {
  const known = named ?? identity?.defaultOrganizationId;
  if (known !== undefined) return known;
  return identity && gate.organizationOf ? gate.organizationOf(identity) : null;
}

export const ALLOW_ALL_USAGE: UsageGate = { assertCanSpend: async () => undefined };
