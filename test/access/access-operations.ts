import { PASSWORD, uniqueEmail } from '../helpers/client';
import type { TestTenant, TestUser } from '../helpers/tenants';

/**
 * The access matrix's table (access-matrix.test.ts): every operation of today's types with exactly
 * the callers allowed to run it.
 */
/** Error codes that mean "this caller may not do that" (as opposed to bad input or not found). */
export const ACCESS_CODES = new Set(['UNAUTHENTICATED', 'INVALID_API_KEY', 'PUBLIC_KEY_NOT_ALLOWED', 'INSUFFICIENT_SCOPE', 'FORBIDDEN']);

/** Every scope today's types use, each given alone to a key of its own. */
export const SINGLE_SCOPES = [
  'workspaces:read',
  'workspaces:write',
  'users:read',
  'users:write',
  'api-keys:read',
  'api-keys:write',
  'api-keys:delete',
  'mail:read',
  'webhooks:read',
  'webhooks:write',
  'webhooks:delete',
  'organizations:read',
  'organizations:write',
  'usage:read',
  'usage:write',
  'plans:read',
  'plans:write',
  'subscriptions:read',
  'subscriptions:write',
  'agents:read',
  'agents:write',
  'entities:read',
  'entities:write',
  'seo:read',
  'seo:write',
  'pixel:read',
  'pixel:write',
] as const;
export const SECRET_ALL = '*';
export const END_USER = 'end user (public key + access token)';
export const PUBLIC_KEY = 'public key alone';
/** A tenant admin's dashboard session naming the workspace (X-Workspace-ID): every key scope, and its own admin fields. */
export const ADMIN_IN_WORKSPACE = 'tenant admin in the workspace';
export const CALLERS = [...SINGLE_SCOPES, SECRET_ALL, END_USER, PUBLIC_KEY, ADMIN_IN_WORKSPACE];

/** What the operations' variables name: the suite's tenant, end users and organization. */
export interface MatrixState {
  tenant: TestTenant;
  user: TestUser;
  victim: TestUser;
  organizationId: string;
}

export interface Operation {
  query: string;
  variables?: (state: MatrixState) => Record<string, unknown>;
  /** Exactly the callers that may run it (a tenant admin in the workspace may whatever `*` may). */
  allowed: string[];
}

const TENANT_CALLERS = [...CALLERS];
const ORGANIZATION_READERS = ['organizations:read', 'organizations:write', SECRET_ALL, END_USER];
const ORGANIZATION_WRITERS = ['organizations:write', SECRET_ALL, END_USER];
const ENTITY_READERS = ['entities:read', SECRET_ALL, END_USER];
const ENTITY_WRITERS = ['entities:write', SECRET_ALL, END_USER];
const DRIVE_READERS = ['entities:read', 'entities:write', SECRET_ALL, END_USER];
const NO_ID = '00000000-0000-0000-0000-000000000000';
const PLAN_READERS = ['plans:read', 'plans:write', SECRET_ALL, END_USER];
const SUBSCRIPTION_OWNERS = ['subscriptions:write', SECRET_ALL, END_USER];
const BILLING_SERVER_READERS = ['subscriptions:read', 'subscriptions:write', SECRET_ALL];
const BILLING_SERVER_WRITERS = ['subscriptions:write', SECRET_ALL];
export const OPERATIONS: Record<string, Operation> = {
  currentTenant: { query: '{ currentTenant { id name slug } }', allowed: ['workspaces:read', SECRET_ALL, END_USER] },
  me: { query: '{ me { id email displayName } }', allowed: [END_USER] },
  endUsers: { query: '{ endUsers { id email } }', allowed: ['users:read', SECRET_ALL] },
  endUser: { query: 'query($id: ID!) { endUser(id: $id) { email } }', variables: (s) => ({ id: s.user.id }), allowed: ['users:read', SECRET_ALL, END_USER] },
  endUserPage: { query: '{ endUserPage(perPage: 5) { total items { id email } } }', allowed: ['users:read', SECRET_ALL] },
  endUserStats: { query: '{ endUserStats { totalUsers } }', allowed: ['users:read', SECRET_ALL] },
  createEndUser: {
    query: 'mutation($sub: String!, $email: String!) { createEndUser(input: {sub: $sub, email: $email}) { id email } }',
    variables: (s) => ({ sub: `matrix-${Math.random().toString(36).slice(2)}`, email: uniqueEmail('matrix') }),
    allowed: ['users:write', SECRET_ALL],
  },
  // The end user acts on their own data; keys with users:write on anyone's.
  updateEndUser: { query: 'mutation($id: ID!) { updateEndUser(id: $id, input: {displayName: "Matrix"}) { id } }', variables: (s) => ({ id: s.user.id }), allowed: ['users:write', SECRET_ALL, END_USER] },
  updateEndUserSettings: {
    query: 'mutation($id: ID!) { updateEndUserSettings(id: $id, input: {theme: "dark"}) { settings { theme } } }',
    variables: (s) => ({ id: s.user.id }),
    allowed: ['users:write', SECRET_ALL, END_USER],
  },
  // On another user of the tenant (the end user may deactivate only themself: for them it is not found, not denied).
  deactivateEndUser: { query: 'mutation($id: ID!) { deactivateEndUser(id: $id) { id } }', variables: (s) => ({ id: s.victim.id }), allowed: ['users:write', SECRET_ALL, END_USER] },
  activateEndUser: { query: 'mutation($id: ID!) { activateEndUser(id: $id) { id } }', variables: (s) => ({ id: s.victim.id }), allowed: ['users:write', SECRET_ALL] },
  deleteEndUser: { query: 'mutation($id: ID!) { deleteEndUser(id: $id) }', variables: (s) => ({ id: s.victim.id }), allowed: ['users:write', SECRET_ALL] },
  apiKeys: { query: '{ apiKeys { items { id prefix scopes } } }', allowed: ['api-keys:read', SECRET_ALL] },
  // An id that is no key: allowed callers reach the resolver (NOT_FOUND), the others are refused before it.
  apiKey: { query: '{ apiKey(id: "00000000-0000-0000-0000-000000000000") { id } }', allowed: ['api-keys:read', SECRET_ALL] },
  rotateApiKey: { query: 'mutation { rotateApiKey(id: "00000000-0000-0000-0000-000000000000") { key } }', allowed: ['api-keys:write', SECRET_ALL] },
  revokeApiKey: { query: 'mutation { revokeApiKey(id: "00000000-0000-0000-0000-000000000000") { id } }', allowed: ['api-keys:delete', SECRET_ALL] },
  devMailbox: { query: '{ devMailbox { subject } }', allowed: ['mail:read', SECRET_ALL] },
  webhookEndpoints: { query: '{ webhookEndpoints { total items { id url events isActive } } }', allowed: ['webhooks:read', SECRET_ALL] },
  webhookEndpoint: { query: `{ webhookEndpoint(id: "${NO_ID}") { id } }`, allowed: ['webhooks:read', SECRET_ALL] },
  webhookDeliveries: { query: `{ webhookDeliveries(webhookId: "${NO_ID}") { total items { id status nextAttempt } } }`, allowed: ['webhooks:read', SECRET_ALL] },
  createWebhookEndpoint: {
    query: 'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/matrix", events: ["matrix.*"] }) { id secret } }',
    allowed: ['webhooks:write', SECRET_ALL],
  },
  updateWebhookEndpoint: { query: `mutation { updateWebhookEndpoint(id: "${NO_ID}", input: { isActive: false }) { id } }`, allowed: ['webhooks:write', SECRET_ALL] },
  rotateWebhookSecret: { query: `mutation { rotateWebhookSecret(id: "${NO_ID}") { id secret } }`, allowed: ['webhooks:write', SECRET_ALL] },
  testWebhookEndpoint: { query: `mutation { testWebhookEndpoint(id: "${NO_ID}") { success } }`, allowed: ['webhooks:write', SECRET_ALL] },
  retryWebhookDelivery: { query: `mutation { retryWebhookDelivery(webhookId: "${NO_ID}", deliveryId: "${NO_ID}") { id } }`, allowed: ['webhooks:write', SECRET_ALL] },
  deleteWebhookEndpoint: { query: `mutation { deleteWebhookEndpoint(id: "${NO_ID}") { id } }`, allowed: ['webhooks:delete', SECRET_ALL] },
  usageTotals: { query: '{ usageTotals { metric quantity } }', allowed: ['usage:read', SECRET_ALL] },
  agents: { query: '{ agents { id name model } }', allowed: ['agents:read', SECRET_ALL] },
  // Agents: keys manage them by agents:*; end users see active ones and chat in their own conversations only.
  agent: { query: `{ agent(id: "${NO_ID}") { id } }`, allowed: ['agents:read', SECRET_ALL, END_USER] },
  updateAgent: { query: `mutation { updateAgent(id: "${NO_ID}", input: {name: "x"}) { id } }`, allowed: ['agents:write', SECRET_ALL] },
  deleteAgent: { query: `mutation { deleteAgent(id: "${NO_ID}") }`, allowed: ['agents:write', SECRET_ALL] },
  availableAgents: { query: '{ availableAgents { id name } }', allowed: [END_USER] },
  chatWithAgent: { query: `mutation { chatWithAgent(agentId: "${NO_ID}", input: {input: "hi"}) { id } }`, allowed: [END_USER] },
  agentHistory: { query: `{ agentHistory(agentId: "${NO_ID}") { id } }`, allowed: [END_USER] },
  agentConversations: { query: `{ agentConversations(agentId: "${NO_ID}") { id } }`, allowed: [END_USER] },
  agentConversation: { query: `{ agentConversation(agentId: "${NO_ID}", id: "${NO_ID}") { id messages { id } } }`, allowed: [END_USER] },
  createAgentConversation: { query: `mutation { createAgentConversation(agentId: "${NO_ID}") { id } }`, allowed: [END_USER] },
  createAiCompletion: { query: 'mutation { createAiCompletion(input: {model: "matrix-model", messages: [{role: "user", content: "hi"}]}) { id } }', allowed: [END_USER] },
  // External agent calls: registered with a secret key and the user's token (no caller here has both); read by agents:read keys, or an end user's own.
  registerExternalAgentCall: { query: `mutation { registerExternalAgentCall(externalAgentId: "${NO_ID}", input: {inputTokens: 1}) { id } }`, allowed: [] },
  externalAgentCalls: { query: '{ externalAgentCalls { total totals { calls } items { id } } }', allowed: ['agents:read', SECRET_ALL, END_USER] },
  externalAgentCallTotals: { query: '{ externalAgentCallTotals(by: AGENT) { key totals { calls } } }', allowed: ['agents:read', SECRET_ALL, END_USER] },
  endAgentConversation: { query: `mutation { endAgentConversation(agentId: "${NO_ID}", id: "${NO_ID}") }`, allowed: [END_USER] },
  // Entities: keys by their entities:* scopes (any organization of the tenant); an end user in their organizations.
  entitySchemas: { query: 'query($org: ID) { entitySchemas(organizationId: $org) { items { id name fields { name type } } total } }', variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_READERS },
  entitySchema: { query: `query($org: ID) { entitySchema(organizationId: $org, id: "${NO_ID}") { id } }`, variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_READERS },
  entityRecord: { query: `query($org: ID) { entityRecord(organizationId: $org, id: "${NO_ID}") { id data } }`, variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_READERS },
  searchEntityRecords: { query: 'query($org: ID) { searchEntityRecords(organizationId: $org) { total items { id } } }', variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_READERS },
  updateEntitySchema: { query: `mutation($org: ID) { updateEntitySchema(organizationId: $org, id: "${NO_ID}", input: {description: "x"}) { id } }`, variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_WRITERS },
  deleteEntitySchema: { query: `mutation($org: ID) { deleteEntitySchema(organizationId: $org, id: "${NO_ID}") { id } }`, variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_WRITERS },
  createEntityRecord: { query: `mutation($org: ID) { createEntityRecord(organizationId: $org, schemaId: "${NO_ID}", data: {}) { id } }`, variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_WRITERS },
  updateEntityRecord: { query: `mutation($org: ID) { updateEntityRecord(organizationId: $org, id: "${NO_ID}", data: {}) { id } }`, variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_WRITERS },
  deleteEntityRecord: { query: `mutation($org: ID) { deleteEntityRecord(organizationId: $org, id: "${NO_ID}") { id } }`, variables: (s) => ({ org: s.organizationId }), allowed: ENTITY_WRITERS },
  // SEO reports and the pixel's settings: workspace keys by their seo:* / pixel:* scopes (no end user).
  submitSeoReport: { query: 'mutation { submitSeoReport(input: {url: "https://example.com/matrix"}) { id issues { id } } }', allowed: ['seo:write', SECRET_ALL] },
  seoReport: { query: `{ seoReport(id: "${NO_ID}") { id issues { id } } }`, allowed: ['seo:read', SECRET_ALL] },
  seoReports: { query: '{ seoReports { total items { id url scores } } }', allowed: ['seo:read', SECRET_ALL] },
  seoIssues: { query: `{ seoIssues(workspaceId: "${NO_ID}") { total items { id severity } } }`, allowed: ['seo:read', SECRET_ALL] },
  pixel: { query: '{ pixel { id enabled features { pageviews } allowedOrigins } }', allowed: ['pixel:read', 'pixel:write', SECRET_ALL] },
  updatePixel: { query: 'mutation { updatePixel(input: {sampleRate: 1}) { id } }', allowed: ['pixel:write', SECRET_ALL] },
  pixelEvents: { query: '{ pixelEvents { total items { id event url } } }', allowed: ['pixel:read', SECRET_ALL] },
  // Pages' scripts call these with no credential (000_… "Authentication: Not required").
  pixelConfig: { query: '{ pixelConfig { enabled sampleRate features { events } } }', allowed: TENANT_CALLERS },
  trackPixelEvent: { query: 'mutation { trackPixelEvent(input: {event: "pageview", url: "https://example.com/"}) { tracked } }', allowed: TENANT_CALLERS },
  // Drive: an end user's own drive; a key (entities:*) the tenant's own; only the tenant shares files.
  driveFiles: { query: '{ driveFiles { items { id filename } total skip limit } }', allowed: DRIVE_READERS },
  sharedDriveFiles: { query: '{ sharedDriveFiles { items { id } total } }', allowed: DRIVE_READERS },
  driveFile: { query: `{ driveFile(id: "${NO_ID}") { id } }`, allowed: DRIVE_READERS },
  driveFolders: { query: '{ driveFolders { folders { id path } } }', allowed: DRIVE_READERS },
  moveDriveFile: { query: `mutation { moveDriveFile(id: "${NO_ID}") { id } }`, allowed: ENTITY_WRITERS },
  deleteDriveFile: { query: `mutation { deleteDriveFile(id: "${NO_ID}") { id } }`, allowed: ENTITY_WRITERS },
  setDriveFileShared: { query: `mutation { setDriveFileShared(id: "${NO_ID}", isShared: true) { id } }`, allowed: ['entities:write', SECRET_ALL] },
  createDriveFolder: {
    query: 'mutation($name: String!) { createDriveFolder(name: $name) { id path } }',
    variables: (s) => ({ name: `matrix_${Math.random().toString(36).slice(2, 10)}` }),
    allowed: ENTITY_WRITERS,
  },
  renameDriveFolder: { query: `mutation { renameDriveFolder(id: "${NO_ID}", name: "x") { id } }`, allowed: ENTITY_WRITERS },
  deleteDriveFolder: { query: `mutation { deleteDriveFolder(id: "${NO_ID}") { id } }`, allowed: ENTITY_WRITERS },
  authProviders: { query: '{ authProviders { providers { name } } }', allowed: TENANT_CALLERS },
  ownData: { query: '{ me { usage { metric } agents { id } entitySchemas { id } } }', allowed: [END_USER] },
  createApiKey: {
    query: 'mutation { createApiKey(input: {name: "matrix", type: "secret", scopes: ["users:read"]}) { key apiKey { id } } }',
    allowed: ['api-keys:write', SECRET_ALL],
  },
  recordUsage: { query: 'mutation { recordUsage(input: {metric: "messages", quantity: 1}) { id } }', allowed: ['usage:write', SECRET_ALL] },
  createAgent: { query: 'mutation { createAgent(input: {name: "Matrix", model: "gpt-4o-mini"}) { id name } }', allowed: ['agents:write', SECRET_ALL] },
  createEntitySchema: {
    query: 'mutation($name: String!, $org: ID) { createEntitySchema(organizationId: $org, input: {name: $name, fields: [{name: "title", type: "string"}]}) { id } }',
    variables: (s) => ({ name: `matrix_${Math.random().toString(36).slice(2, 10)}`, org: s.organizationId }),
    allowed: ENTITY_WRITERS,
  },
  // Reaches the login flow (then fails on the unknown user): every key may sign users in.
  login: { query: `mutation { login(input: {email: "${uniqueEmail('nobody')}", password: "${PASSWORD}"}) { accessToken } }`, allowed: TENANT_CALLERS },
  logout: { query: 'mutation { logout { message } }', allowed: [END_USER] },
  oauthProviders: { query: '{ oauthProviders { provider clientId } }', allowed: ['workspaces:read', 'workspaces:write', SECRET_ALL] },
  configureGoogleSignIn: {
    query: 'mutation { configureGoogleSignIn(input: {clientId: "matrix", clientSecret: "matrix", redirectUris: ["https://app.example/cb"]}) { provider } }',
    allowed: ['workspaces:write', SECRET_ALL],
  },
  // Reaches the sign-in flow (then refuses the redirect URI): every key may start a sign-in.
  startGoogleSignIn: { query: 'mutation { startGoogleSignIn(redirectUri: "https://not-listed.example/cb") { authorizationUrl } }', allowed: TENANT_CALLERS },
  // Public (Google's redirect carries no key); fails on the state for everyone.
  completeGoogleSignIn: { query: 'mutation { completeGoogleSignIn(code: "c", state: "s") { location } }', allowed: TENANT_CALLERS },
  // Organizations: the end user owns `organizationId`; keys act as the tenant's server by their organizations:* scopes.
  myOrganizations: { query: '{ myOrganizations { id role members { email } } }', allowed: [END_USER] },
  createOrganization: {
    query: 'mutation($slug: String!) { createOrganization(input: {name: "Matrix", slug: $slug}) { id } }',
    variables: (s) => ({ slug: `matrix-${Math.random().toString(36).slice(2, 10)}` }),
    allowed: [END_USER],
  },
  organization: { query: 'query($id: ID!) { organization(organizationId: $id) { id name members { email } departments { id } } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  organizationMembers: { query: 'query($id: ID!) { organizationMembers(organizationId: $id) { userId email } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  organizationDepartments: { query: 'query($id: ID!) { organizationDepartments(organizationId: $id) { id } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  // Usage (billing): members read and consume their organization's usage; keys by their organizations:* scopes.
  currentUsage: { query: 'query($id: ID!) { currentUsage(organizationId: $id) { periodStart usage { messages { current } } } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  usageHistory: { query: 'query($id: ID!) { usageHistory(organizationId: $id) { periodStart messages } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  usageStats: { query: 'query($id: ID!) { usageStats(organizationId: $id) { usage { organization { messages } } } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  organizationUsage: { query: 'query($id: ID!) { organizationUsage(organizationId: $id) { usageStats { planName } } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  organizationUserUsage: { query: 'query($id: ID!, $user: ID!) { organizationUserUsage(organizationId: $id, userId: $user) { usage { tokens } } }', variables: (s) => ({ id: s.organizationId, user: s.user.id }), allowed: ORGANIZATION_READERS },
  checkOrganizationUsage: { query: 'query($id: ID!) { checkOrganizationUsage(organizationId: $id, additionalTokens: 1) { wouldExceed } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  checkUsage: { query: 'query($id: ID!, $user: ID!) { checkUsage(organizationId: $id, userId: $user, tokens: 1) { allowed } }', variables: (s) => ({ id: s.organizationId, user: s.user.id }), allowed: ORGANIZATION_READERS },
  consumeUsage: { query: 'mutation($id: ID!, $user: ID!) { consumeUsage(organizationId: $id, userId: $user, tokens: 1) { success } }', variables: (s) => ({ id: s.organizationId, user: s.user.id }), allowed: ORGANIZATION_READERS },
  // Plans (billing): the tenant's end users read the price list; keys by plans:*; only keys write it.
  plans: { query: '{ plans { total items { id name priceMonthly } } }', allowed: PLAN_READERS },
  activePlans: { query: '{ activePlans { id } }', allowed: PLAN_READERS },
  freePlans: { query: '{ freePlans { id } }', allowed: PLAN_READERS },
  plan: { query: `{ plan(planId: "${NO_ID}") { id } }`, allowed: PLAN_READERS },
  createPlan: { query: 'mutation { createPlan(input: {name: "Matrix", priceMonthly: 1, priceYearly: 10}) { id } }', allowed: ['plans:write', SECRET_ALL] },
  updatePlan: { query: `mutation { updatePlan(planId: "${NO_ID}", input: {name: "x"}) { id } }`, allowed: ['plans:write', SECRET_ALL] },
  archivePlan: { query: `mutation { archivePlan(planId: "${NO_ID}") { id } }`, allowed: ['plans:write', SECRET_ALL] },
  // A user's own plan usage and limits (billing): the end user their own, keys with subscriptions:*.
  userPlanUsage: { query: 'query($u: ID!) { userPlanUsage(userId: $u) { id } }', variables: (s) => ({ u: s.user.id }), allowed: ['subscriptions:read', 'subscriptions:write', SECRET_ALL, END_USER] },
  userUsageLimits: { query: 'query($u: ID!) { userUsageLimits(userId: $u) { limits { planId } } }', variables: (s) => ({ u: s.user.id }), allowed: ['subscriptions:read', 'subscriptions:write', SECRET_ALL, END_USER] },
  entityUsage: { query: 'query($o: ID!) { entityUsage(organizationId: $o) { recordsCount } }', variables: (s) => ({ o: s.organizationId }), allowed: ENTITY_READERS },
  // Payment provider (billing): the tenant's choice, by keys with plans:*; Stripe's webhook is public (the signature is the credential).
  paymentSettings: { query: '{ paymentSettings { provider stripeConfigured } }', allowed: ['plans:read', 'plans:write', SECRET_ALL] },
  setPaymentProvider: { query: 'mutation { setPaymentProvider(provider: local) { provider } }', allowed: ['plans:write', SECRET_ALL] },
  receiveStripeWebhook: { query: 'mutation { receiveStripeWebhook(payload: "{}", signature: "t=1,v1=0") { received } }', allowed: TENANT_CALLERS },
  // Subscriptions (billing): an organization's by BILLING_READ / BILLING_MANAGE (its members' roles, keys' organizations:*);
  // by id: its owner, or keys with subscriptions:*; the server's (001 `sk_live_* ONLY`): keys with subscriptions:* alone.
  organizationSubscription: { query: 'query($id: ID!) { organizationSubscription(organizationId: $id) { id } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  organizationInvoices: { query: 'query($id: ID!) { organizationInvoices(organizationId: $id) { id } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_READERS },
  subscribeOrganization: { query: `mutation($id: ID!) { subscribeOrganization(organizationId: $id, planId: "${NO_ID}") { id } }`, variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_WRITERS },
  updateOrganizationSubscription: { query: 'mutation($id: ID!) { updateOrganizationSubscription(organizationId: $id, metadata: {}) { id } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_WRITERS },
  cancelOrganizationSubscription: { query: 'mutation($id: ID!) { cancelOrganizationSubscription(organizationId: $id) { message } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_WRITERS },
  mySubscription: { query: '{ mySubscription { id } }', allowed: [END_USER] },
  billingSubscription: { query: `{ billingSubscription(subscriptionId: "${NO_ID}") { id } }`, allowed: ['subscriptions:read', 'subscriptions:write', SECRET_ALL, END_USER] },
  updateSubscription: { query: `mutation { updateSubscription(subscriptionId: "${NO_ID}", metadata: {}) { id } }`, allowed: SUBSCRIPTION_OWNERS },
  cancelSubscription: { query: `mutation { cancelSubscription(subscriptionId: "${NO_ID}") { id } }`, allowed: SUBSCRIPTION_OWNERS },
  assignUserPlan: { query: `mutation($u: ID!) { assignUserPlan(userId: $u, planId: "${NO_ID}") { success } }`, variables: (s) => ({ u: s.user.id }), allowed: SUBSCRIPTION_OWNERS },
  startCheckout: { query: `mutation { startCheckout(planId: "${NO_ID}", successUrl: "https://a.example/s", cancelUrl: "https://a.example/c") { sessionId } }`, allowed: [END_USER] },
  availablePlans: { query: '{ availablePlans { plans { id } } }', allowed: ['plans:read', 'plans:write', 'subscriptions:read', 'subscriptions:write', SECRET_ALL] },
  changeSubscriptionPlan: { query: `mutation { changeSubscriptionPlan(subscriptionId: "${NO_ID}", newPlanId: "${NO_ID}") { success } }`, allowed: BILLING_SERVER_WRITERS },
  serverCancelSubscription: { query: `mutation { serverCancelSubscription(subscriptionId: "${NO_ID}") { success } }`, allowed: BILLING_SERVER_WRITERS },
  serverCancelOrganizationSubscription: {
    query: 'mutation($id: ID!, $u: ID!) { serverCancelOrganizationSubscription(organizationId: $id, userId: $u) { id } }',
    variables: (s) => ({ id: s.organizationId, u: s.user.id }),
    allowed: BILLING_SERVER_WRITERS,
  },
  resumeOrganizationSubscription: { query: 'mutation($id: ID!, $u: ID!) { resumeOrganizationSubscription(organizationId: $id, userId: $u) { id } }', variables: (s) => ({ id: s.organizationId, u: s.user.id }), allowed: BILLING_SERVER_WRITERS },
  serverOrganizationInvoices: { query: 'query($id: ID!) { serverOrganizationInvoices(organizationId: $id) { id } }', variables: (s) => ({ id: s.organizationId }), allowed: BILLING_SERVER_READERS },
  organizationBillingHistory: { query: 'query($id: ID!) { organizationBillingHistory(organizationId: $id) { totalInvoices } }', variables: (s) => ({ id: s.organizationId }), allowed: BILLING_SERVER_READERS },
  createCheckoutSession: {
    query: `mutation($id: ID!, $u: ID!) { createCheckoutSession(organizationId: $id, userId: $u, planId: "${NO_ID}", successUrl: "https://a.example/s", cancelUrl: "https://a.example/c") { sessionId } }`,
    variables: (s) => ({ id: s.organizationId, u: s.user.id }),
    allowed: BILLING_SERVER_WRITERS,
  },
  // The local checkout page: the session id is the capability (any caller of the tenant; another tenant's → NOT_FOUND).
  checkoutSession: { query: `{ checkoutSession(sessionId: "${NO_ID}") { id } }`, allowed: TENANT_CALLERS },
  confirmCheckoutSession: { query: `mutation { confirmCheckoutSession(sessionId: "${NO_ID}") { id } }`, allowed: TENANT_CALLERS },
  updateOrganization: { query: 'mutation($id: ID!) { updateOrganization(organizationId: $id, input: {description: "matrix"}) { id } }', variables: (s) => ({ id: s.organizationId }), allowed: ORGANIZATION_WRITERS },
  inviteMember: {
    query: 'mutation($id: ID!, $email: String!) { inviteMember(organizationId: $id, email: $email, role: "member") { id } }',
    variables: (s) => ({ id: s.organizationId, email: uniqueEmail('matrix-invite') }),
    allowed: ORGANIZATION_WRITERS,
  },
  // A user id that is no member: allowed callers reach the resolver (NOT_FOUND).
  updateMemberRole: {
    query: 'mutation($id: ID!) { updateMemberRole(organizationId: $id, userId: "00000000-0000-0000-0000-000000000000", role: "admin") { role } }',
    variables: (s) => ({ id: s.organizationId }),
    allowed: ORGANIZATION_WRITERS,
  },
  setDefaultOrganization: { query: 'mutation($id: ID!) { setDefaultOrganization(organizationId: $id) { message } }', variables: (s) => ({ id: s.organizationId }), allowed: [END_USER] },
  acceptInvitation: { query: 'mutation { acceptInvitation(token: "no-such-token") { role } }', allowed: [END_USER] },
  // Documented as public (a public key alone): they fail on the unknown token or find nothing, for everyone.
  rejectInvitation: { query: 'mutation { rejectInvitation(token: "no-such-token") { message } }', allowed: TENANT_CALLERS },
  invitationByToken: { query: '{ invitationByToken(token: "no-such-token") { id } }', allowed: TENANT_CALLERS },
  pendingInvitations: { query: `{ pendingInvitations(email: "${uniqueEmail('matrix-pending')}") { id } }`, allowed: TENANT_CALLERS },
  department: { query: 'query($u: ID) { department(departmentId: "00000000-0000-0000-0000-000000000000", userId: $u) { id } }', variables: (s) => ({ u: s.user.id }), allowed: TENANT_CALLERS },
  // Workspaces: a key reaches its own (test/rest/workspaces.test.ts covers admin sessions); creating one needs an admin session.
  workspaces: { query: '{ workspaces { items { id } total } }', allowed: ['workspaces:read', SECRET_ALL] },
  workspace: { query: 'query($id: ID!) { workspace(id: $id) { id settings } }', variables: (s) => ({ id: s.tenant.tenant_id }), allowed: ['workspaces:read', SECRET_ALL] },
  // Changes nothing (an empty patch): the allowed callers reach the resolver.
  updateWorkspace: { query: 'mutation($id: ID!) { updateWorkspace(id: $id, input: {}) { id } }', variables: (s) => ({ id: s.tenant.tenant_id }), allowed: ['workspaces:write', SECRET_ALL] },
  createWorkspace: { query: 'mutation { createWorkspace(input: {name: "Matrix"}) { id } }', allowed: [ADMIN_IN_WORKSPACE] },
  // Only the installation's operator (none of these callers): test/router/rate-limit-tiers.test.ts.
  setWorkspaceTier: { query: 'mutation($id: ID!) { setWorkspaceTier(id: $id, tier: "enterprise") { id } }', variables: (s) => ({ id: s.tenant.tenant_id }), allowed: [] },
  // Tenant admins (test/admin/*): their own session only, never a key (not even `*`) or an end user.
  adminMe: { query: '{ adminMe { id username } }', allowed: [ADMIN_IN_WORKSPACE] },
  adminTwoFactorSetup: { query: 'mutation { adminTwoFactorSetup { qrCode } }', allowed: [ADMIN_IN_WORKSPACE] },
  inviteWorkspaceAdmin: {
    query: 'mutation($id: ID!) { inviteWorkspaceAdmin(workspaceId: $id, email: "matrix@example.com") { id } }',
    variables: (s) => ({ id: s.tenant.tenant_id }),
    allowed: [ADMIN_IN_WORKSPACE],
  },
  // Public (002 "No auth required"): it reads a flag, for everyone.
  adminAuthStatus: { query: '{ adminAuthStatus { setupRequired } }', allowed: TENANT_CALLERS },
};
