import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { buildFederatedSchema } from '../../src/federation/build-schema';
import { createApiKeyResolver } from './api-key/api-key.resolver';
import { ApiKey } from './api-key/api-key.entity';
import { ApiKeyService } from './api-key/api-key.service';
import { createAuthProviderResolver } from './auth/auth-provider.resolver';
import { OAUTH_ENTITIES } from './oauth/oauth.entities';
import { OAUTH_EVENTS } from './oauth/oauth.events';
import { createOAuthProviderResolver } from './oauth/oauth-provider.resolver';
import { OAuthService } from './oauth/oauth.service';
import { createAuthResolver } from './auth/auth.resolver';
import { AuthService } from './auth/auth.service';
import { RefreshToken, Session } from './auth/session.entity';
import { UserToken } from './auth/user-token.entity';
import { EndUser } from './end-user/end-user.entity';
import { createEndUserResolver } from './end-user/end-user.resolver';
import { EndUserService } from './end-user/end-user.service';
import { endUserReference } from './end-user/end-user.reference';
import { MailMessage } from './mail/mail-message.entity';
import { createMailResolver } from './mail/mail.resolver';
import { MailService } from './mail/mail.service';
import { SendMail } from './mail/mail.jobs';
import { END_USER_EVENTS } from './end-user/end-user.events';
import { API_KEY_EVENTS } from './api-key/api-key.events';
import { defineJobHandler } from '../../src/events/consumers';
import { Tenant } from './tenant/tenant.entity';
import { createTenantResolver } from './tenant/tenant.resolver';
import { TenantService } from './tenant/tenant.service';
import { tenantReferenceResolver } from './tenant/tenant.reference';
import { createOrganizationsModule, ORGANIZATION_ENTITIES, ORGANIZATION_MODULE_EVENTS } from './organization/organizations.module';
import { ADMIN_ENTITIES } from './admin/admin.entity';
import { ADMIN_EVENTS, ADMIN_INVITATION_EVENTS } from './admin/admin.events';
import { createAdminInvitationResolver } from './admin/admin-invitation.resolver';
import { AdminInvitationService } from './admin/admin-invitation.service';
import { createAdminResolver } from './admin/admin.resolver';
import { AdminService } from './admin/admin.service';
import { WORKSPACE_EVENTS } from './tenant/workspace.events';
import { createWorkspaceResolver } from './tenant/workspace.resolver';
import { WebhookDelivery } from './webhook/webhook-delivery.entity';
import { WebhookEndpoint } from './webhook/webhook-endpoint.entity';
import { WebhookDeliverer } from './webhook/webhook.delivery';
import { WEBHOOK_EVENTS } from './webhook/webhook.events';
import { DeliverWebhook } from './webhook/webhook.jobs';
import { createWebhookResolvers } from './webhook/webhook.resolver';
import { WebhookService } from './webhook/webhook.service';
import { WorkspaceService } from './tenant/workspace.service';
import { createWorkspaceTierResolver, WorkspaceTierService } from './tenant/workspace-tier';

export const TENANCY_ENTITIES = [Tenant, ApiKey, EndUser, Session, RefreshToken, UserToken, MailMessage, ...OAUTH_ENTITIES, ...ORGANIZATION_ENTITIES, ...ADMIN_ENTITIES, WebhookEndpoint, WebhookDelivery];

export async function createTenancySchema({ dataSource, config, pubSub, log }: SubgraphDeps) {
  const tenants = new TenantService(dataSource);
  const users = new EndUserService(dataSource);
  const mail = new MailService(dataSource, config.smtpUrl, config.mailFrom);
  const auth = new AuthService(dataSource, mail, config);
  const oauth = new OAuthService(dataSource, auth, config, log);
  const keys = new ApiKeyService(dataSource);
  const admins = new AdminService(dataSource, config);
  const organizations = createOrganizationsModule(dataSource, config, mail, users);
  return buildFederatedSchema({
    resolvers: [
      createTenantResolver(tenants),
      createEndUserResolver(users),
      createAuthResolver(auth),
      createAuthProviderResolver(oauth),
      createOAuthProviderResolver(oauth),
      createApiKeyResolver(keys, dataSource),
      createMailResolver(mail),
      createAdminResolver(admins),
      createAdminInvitationResolver(new AdminInvitationService(dataSource, admins, mail, config.publicUrl)),
      createWorkspaceResolver(new WorkspaceService(dataSource)),
      createWorkspaceTierResolver(new WorkspaceTierService(dataSource)),
      ...organizations.resolvers,
      ...createWebhookResolvers(new WebhookService(dataSource, config.webhooks)),
    ],
    policies: organizations.policies,
    pubSub,
    referenceResolvers: {
      EndUser: endUserReference(users),
      Tenant: tenantReferenceResolver(tenants),
      ...organizations.referenceResolvers,
    },
  });
}

export const tenancySubgraph: SubgraphDefinition = {
  name: 'tenancy',
  entities: TENANCY_ENTITIES,
  createSchema: createTenancySchema,
  events: [...END_USER_EVENTS, ...API_KEY_EVENTS, ...OAUTH_EVENTS, ...ORGANIZATION_MODULE_EVENTS, ...ADMIN_EVENTS, ...ADMIN_INVITATION_EVENTS, ...WORKSPACE_EVENTS, ...WEBHOOK_EVENTS],
  jobs: [
    defineJobHandler(SendMail, ({ dataSource, config }: SubgraphDeps) => {
      const mail = new MailService(dataSource, config.smtpUrl, config.mailFrom);
      return (data) => mail.deliver(data.tenantId, data);
    }),
    defineJobHandler(DeliverWebhook, ({ dataSource, config }: SubgraphDeps) => {
      const deliverer = new WebhookDeliverer(dataSource, config.webhooks);
      return (data) => deliverer.deliver(data.tenantId, data.deliveryId);
    }),
  ],
};
