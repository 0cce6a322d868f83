import { DomainError } from '../../../src/errors';
import { callSubgraph, type SubgraphAnswer } from '../../../src/federation/subgraph-call';
import type { Identity } from '../../../src/identity';
import { AgentsErrors } from '../agents.errors';
import type { UsageGate, UsageRequest } from './usage-gate';

const DEFAULT_ORGANIZATION = '{ me { defaultOrganizationId } }';
const CHECK = `query($organizationId: ID!) {
  checkOrganizationUsage(organizationId: $organizationId, additionalMessages: 1, additionalTokens: 1) {
    wouldExceed limits { messages { allowed error } tokens { allowed error } }
  }
}`;


/**
 * The usage gate billing provides: before each model call, the caller's organization (their
 * default one, from tenancy) is checked with billing for one more message and at least one token
 * left (402 otherwise). Synchronous cross-domain calls as in organization-roles-client.ts, signed
 * with the caller's own identity, so nothing is learnt that the caller could not ask for.
 */
export function billingUsageGate(urls: { tenancy: string; billing: string }, internalSecret: string): UsageGate {
  async function ask<T>(url: string, identity: Identity, query: string, variables: Record<string, unknown>): Promise<SubgraphAnswer<T>> {
    try {
      return await callSubgraph<T>(url, internalSecret, identity, { query, variables });
    } catch (error) {
      throw new DomainError(AgentsErrors.USAGE_CHECK_UNAVAILABLE, `Usage limits could not be checked: ${(error as Error).message}`);
    }
  }

  return {
    async organizationOf(identity) {
      const answer = await ask<{ me: { defaultOrganizationId: string | null } }>(urls.tenancy, identity, DEFAULT_ORGANIZATION, {});
      return answer.data?.me.defaultOrganizationId ?? null;
    },

    async assertCanSpend(request: UsageRequest) {
      // Without an organization there is no plan to check against: usage is still metered per user.
      if (!request.organizationId || !request.identity) return;
      type Check = { checkOrganizationUsage: { wouldExceed: boolean; limits: { messages: { allowed: boolean; error: string | null }; tokens: { allowed: boolean; error: string | null } } } };
      const answer = await ask<Check>(urls.billing, request.identity, CHECK, { organizationId: request.organizationId });
      const check = answer.data?.checkOrganizationUsage;
      if (!check) {
        throw new DomainError(AgentsErrors.USAGE_CHECK_UNAVAILABLE, `Usage limits could not be checked: ${answer.errors?.map((e) => e.message).join('; ') ?? 'no answer'}`);
      }
      if (check.wouldExceed) {
        const { messages, tokens } = check.limits;
        throw new DomainError('PAYMENT_REQUIRED', (!messages.allowed ? messages.error : tokens.error) ?? "The organization's usage limit is reached");
      }
    },
  };
}
