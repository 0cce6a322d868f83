/** Who is about to spend model usage, for the billing pre-check. */
export interface UsageRequest {
  tenantId: string;
  userId: string;
  organizationId: string | null;
  /** null for a plain completion (no agent). */
  agentId: string | null;
  model: string;
}

/**
 * Asked before every model call; throws (402 PAYMENT_REQUIRED) when the organization's usage is
 * exhausted. Billing provides the real gate; until it is wired in `server.ts`, every call is allowed.
 */
export interface UsageGate {
  assertCanSpend(request: UsageRequest): Promise<void>;
}

export const ALLOW_ALL_USAGE: UsageGate = { assertCanSpend: async () => undefined };
