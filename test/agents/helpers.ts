import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { gqlData, rest, type CallOptions, type HttpResult } from '../helpers/client';
import { testPlatform } from '../helpers/global';
import { registerUser, type TestTenant, type TestUser } from '../helpers/tenants';

export const CHAT_EVENTS = `subscription($conversationId: ID!) {
  agentChatEvents(conversationId: $conversationId) {
    type executionId index delta toolCallId toolName toolArguments toolResult toolIsError status output errorMessage inputTokens outputTokens
  }
}`;

/** A graphql-ws client of the router, signed in as the end user. */
export function connectAs(tenant: TestTenant, user: TestUser): WsClient {
  return createClient({
    url: testPlatform().routerUrl.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { apiKey: tenant.public_key, authorization: `Bearer ${user.accessToken}` },
    retryAttempts: 0,
    lazy: true,
  });
}

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

export function chat(tenant: TestTenant, user: TestUser, agentId: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<HttpResult> {
  return rest('POST', `/v1/user/agents/${agentId}/chat`, body, { ...asUser(tenant, user), headers });
}
