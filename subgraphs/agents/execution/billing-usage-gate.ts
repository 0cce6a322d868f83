import { DomainError } from '../../../src/errors';
import { signIdentity, type Identity } from '../../../src/identity';
import type { UsageGate } from './usage-gate';

const CHECK = `query($organizationId: ID!) {
  checkOrganizationUsage(organizationId: $organizationId, additionalMessages: 1) { wouldExceed limits { messages { error } tokens { error } } }
}`;

interface CheckAnswer {
  data?: { checkOrganizationUsage: { wouldExceed: boolean; limits: { messages: { error: string | null }; tokens: { error: string | null } } } } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * Billing's pre-check before a model call (a synchronous cross-domain check, DESIGN.md): would
 * one more message pass the organization's plan limits? 402 when not. Asked of the billing
 * subgraph as the user who spends (billing decides with their role in the organization). Usage
 * is limited per organization: a call with none is not checked (it is metered to the user).
 */
export function billingUsageGate(billingUrl: string, internalSecret: string): UsageGate {
  return {
    async assertCanSpend({ tenantId, userId, organizationId }) {
      if (!organizationId) return;
      const identity: Identity = { requestId: '', ip: '', tenantId, userId, service: 'agents' };
      const variables = { organizationId };
      const platformIdentity = signIdentity(identity, { query: CHECK, variables }, internalSecret);
      const response = await fetch(billingUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: CHECK, variables, extensions: { platformIdentity } }),
      });
      const body = (await response.json()) as CheckAnswer;
      const check = body.data?.checkOrganizationUsage;
      if (!check) {
        const code = body.errors?.[0]?.extensions?.code;
        // Not a member (or no such organization): the caller may not spend its usage.
        if (code === 'FORBIDDEN' || code === 'NOT_FOUND') throw new DomainError('NOT_FOUND', 'Organization not found');
        throw new DomainError('INTERNAL', `Usage check unavailable: ${JSON.stringify(body.errors)}`);
      }
      if (check.wouldExceed) {
        throw new DomainError('PAYMENT_REQUIRED', check.limits.messages.error ?? check.limits.tokens.error ?? 'Usage limit reached for this billing period');
      }
    },
  };
}
