import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { allFields, fieldsWithoutAccessRule } from './access-coverage';

/**
 * Fields anyone may read without an access rule. Keep this list short and say why for each:
 * a field added later without a rule fails the test below instead of leaking.
 */
const PUBLIC_FIELDS = new Set([
  // The key of end users: an id alone reveals nothing, and every path that reaches one passes
  // the rule of the field that returns it (e.g. Agent.owner).
  'EndUser.id',
  // Verifying an email needs only the emailed token, no API key (001 `/v1/auth/verify-email-with-token`).
  'Mutation.verifyEmailWithToken',
  // The status text of auth mutations, returned to anonymous callers by verifyEmailWithToken.
  'MessageResult.message',
  // Google's redirect to the sign-in callback carries no key (001 `/v1/auth/google/callback`): the
  // signed state names the tenant; the answer is only where to send the browser.
  'Mutation.completeGoogleSignIn',
  'SignInRedirect.location',
  // Stripe's webhook (`POST /v1/billing/webhook`) carries no key: the Stripe-Signature over the raw
  // body is the credential, and the tenant is the one the signed event names. It answers only a receipt.
  'Mutation.receiveStripeWebhook',
  'StripeWebhookReceipt.received',
  'StripeWebhookReceipt.duplicate',
  // Tenant admins before they are signed in (002 "No auth required"): whether setup is needed,
  // the first admin's setup (refused once any admin exists), login, its 2FA step and logout.
  'Query.adminAuthStatus',
  'AdminAuthStatus.setupRequired',
  'Mutation.adminSetup',
  'Mutation.adminLogin',
  'Mutation.adminVerifyTwoFactor',
  'Mutation.adminLogout',
  // Someone new accepting an admin invitation: the emailed single-use token is the credential.
  'Mutation.registerInvitedAdmin',
  // What those answer: a new session token or the pending 2FA step, to whoever proved the password.
  ...['twoFactorRequired', 'pendingToken', 'accessToken', 'tokenType', 'expiresIn', 'username', 'totpEnabled'].map((f) => `AdminLoginResult.${f}`),
  // Pages' pixel scripts (000_… "Pixel Tracking": "Authentication: Not required"): they name their
  // pixel by its public id and read only its switches, or store an event (limited per IP).
  'Query.pixelConfig',
  'Mutation.trackPixelEvent',
  ...['enabled', 'features', 'sampleRate'].map((f) => `PixelConfig.${f}`),
  ...['pageviews', 'events', 'sessions'].map((f) => `PixelFeatures.${f}`),
  'PixelTrackResult.tracked',
]);

const SUPERGRAPH = fs.readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');

describe('access rules on every field', () => {
  it('every field of every object type has an access rule or is on the public list', () => {
    assert.deepEqual(fieldsWithoutAccessRule(SUPERGRAPH, PUBLIC_FIELDS), []);
  });

  it('the public list names only fields that exist', () => {
    const fields = allFields(SUPERGRAPH);
    assert.deepEqual([...PUBLIC_FIELDS].filter((name) => !fields.has(name)), []);
  });

  it('fails when a rule is removed from a field or a type', () => {
    const withoutFieldRule = SUPERGRAPH.replace(/(devMailbox\([^)]*\)[^@]*@join__field\(graph: TENANCY\)) @requiresScopes\([^)]*\]\]\)/, '$1');
    assert.notEqual(withoutFieldRule, SUPERGRAPH, 'the test edits the SDL');
    assert.deepEqual(fieldsWithoutAccessRule(withoutFieldRule, PUBLIC_FIELDS), ['Query.devMailbox']);
    const withoutTypeRule = SUPERGRAPH.replace(/(type MailMessage @join__type\(graph: TENANCY\)) @requiresScopes\([^)]*\]\]\)/, '$1');
    assert.notEqual(withoutTypeRule, SUPERGRAPH, 'the test edits the SDL');
    assert.ok(fieldsWithoutAccessRule(withoutTypeRule, PUBLIC_FIELDS).includes('MailMessage.subject'));
  });
});
