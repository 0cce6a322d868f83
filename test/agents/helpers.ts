import { gqlData, rest, type CallOptions, type HttpResult } from '../helpers/client';
import { registerUser, type TestTenant, type TestUser } from '../helpers/tenants';

export const CREATE_AGENT = `mutation($input: CreateAgentInput!) {
  createAgent(input: $input) { id name model isActive ragProvider ragConfig mcpServers responseType temperature systemPrompt description }
}`;

/** An agent made with the tenant's secret key (GraphQL), returning its id. */
export async function createAgent(tenant: TestTenant, input: Record<string, unknown> = {}): Promise<string> {
  const data = await gqlData(CREATE_AGENT, { input: { name: 'Helper', systemPrompt: 'You are helpful.', ...input } }, { bearer: tenant.secret_key });
  return data.createAgent.id;
}

/** REST calls of the agents face as a signed-in end user (public key + access token). */
export function asUser(tenant: TestTenant, user: TestUser): CallOptions {
  return { apiKey: tenant.public_key, bearer: user.accessToken };
}

export async function newUser(tenant: TestTenant): Promise<TestUser> {
  return registerUser(tenant);
}

export function chat(tenant: TestTenant, user: TestUser, agentId: string, body: Record<string, unknown>): Promise<HttpResult> {
  return rest('POST', `/v1/user/agents/${agentId}/chat`, body, asUser(tenant, user));
}
