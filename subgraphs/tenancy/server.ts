import type { SubgraphDefinition, SubgraphDeps } from '../../src/federation/run-subgraph';
import { buildFederatedSchema } from '../../src/federation/build-schema';
import { createApiKeyResolver } from './api-key/api-key.resolver';
import { ApiKey } from './api-key/api-key.entity';
import { ApiKeyService } from './api-key/api-key.service';
import { AuthProviderResolver } from './auth/auth-provider.resolver';
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

export const TENANCY_ENTITIES = [Tenant, ApiKey, EndUser, Session, RefreshToken, UserToken, MailMessage];

export async function createTenancySchema({ dataSource, config, pubSub }: SubgraphDeps) {
  const tenants = new TenantService(dataSource);
  const users = new EndUserService(dataSource);
  const mail = new MailService(dataSource, config.smtpUrl, config.mailFrom);
  const auth = new AuthService(dataSource, mail, config);
  const keys = new ApiKeyService(dataSource);
  return buildFederatedSchema({
    resolvers: [
      createTenantResolver(tenants),
      createEndUserResolver(users),
      createAuthResolver(auth),
      AuthProviderResolver,
      createApiKeyResolver(keys, dataSource),
      createMailResolver(mail),
    ],
    pubSub,
    referenceResolvers: {
      EndUser: endUserReference(users),
      Tenant: tenantReferenceResolver(tenants),
    },
  });
}

export const tenancySubgraph: SubgraphDefinition = {
  name: 'tenancy',
  entities: TENANCY_ENTITIES,
  createSchema: createTenancySchema,
  events: [...END_USER_EVENTS, ...API_KEY_EVENTS],
  jobs: [
    defineJobHandler(SendMail, ({ dataSource, config }: SubgraphDeps) => {
      const mail = new MailService(dataSource, config.smtpUrl, config.mailFrom);
      return (data) => mail.deliver(data.tenantId, data);
    }),
  ],
};
