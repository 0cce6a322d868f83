import { z } from 'zod';
import { defineEvent } from '../../../src/events/define';

/** A tenant set or changed a sign-in provider's configuration (never carries the secret). */
export const OAuthProviderConfigured = defineEvent(
  'oauth_provider.configured',
  z.object({ provider: z.string(), isEnabled: z.boolean(), clientSecretChanged: z.boolean() }),
);
/** An end user's account at a sign-in provider was linked to them (new user or same verified email). */
export const EndUserIdentityLinked = defineEvent('end_user.identity_linked', z.object({ userId: z.guid(), provider: z.string() }));

export const OAUTH_EVENTS = [OAuthProviderConfigured, EndUserIdentityLinked];
