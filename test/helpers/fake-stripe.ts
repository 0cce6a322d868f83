import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** A Checkout session as the fake created it, with the form parameters the client sent. */
export interface FakeCheckoutSession {
  id: string;
  url: string;
  params: Record<string, string>;
  metadata: Record<string, string>;
  clientReferenceId: string | undefined;
  idempotencyKey: string | undefined;
}

/**
 * Stripe's API as far as the platform calls it, on loopback: `POST /v1/checkout/sessions`
 * (form-encoded, as the official client sends it) answers a session with a hosted-page URL on
 * the fake itself. Events are signed like Stripe signs its webhooks (`Stripe-Signature`, the
 * official library's test header), so the platform verifies them exactly as it would Stripe's.
 */
/** A call the platform made on one of Stripe's subscriptions (update, cancel). */
export interface FakeSubscriptionCall {
  method: string;
  subscriptionId: string;
  params: Record<string, string>;
}

export interface FakeStripe {
  baseUrl: string;
  subscriptionCalls: FakeSubscriptionCall[];
  secretKey: string;
  webhookSecret: string;
  sessions: FakeCheckoutSession[];
  /** The next session creation answers this HTTP status with a Stripe error body. */
  failNext(status: number): void;
  /** A webhook delivery: the exact body and its signature header. */
  event(type: string, object: Record<string, unknown>, options?: { id?: string; secret?: string }): { id: string; payload: string; signature: string };
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** `metadata[tenant_id]=…` → `{ tenant_id: … }` for one bracketed prefix. */
function nested(params: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const match = key.startsWith(`${prefix}[`) ? /^[^[]+\[([^\]]+)\]$/.exec(key) : null;
    if (match) out[match[1]] = value;
  }
  return out;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const secretKey = `sk_test_${randomBytes(8).toString('hex')}`;
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const sessions: FakeCheckoutSession[] = [];
  const subscriptionCalls: FakeSubscriptionCall[] = [];
  let failing: number | undefined;
  const signer = new Stripe(secretKey);
  const server: Server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${secretKey}`) return reply(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const subscription = /^\/v1\/subscriptions\/([A-Za-z0-9_]+)$/.exec(req.url ?? '');
    if (subscription) {
      const [, subscriptionId] = subscription;
      const params = await readForm(req);
      if (failing) {
        const status = failing;
        failing = undefined;
        return reply(status, { error: { type: 'invalid_request_error', message: 'Scripted failure' } });
      }
      if (req.method !== 'GET') subscriptionCalls.push({ method: req.method!, subscriptionId, params });
      const item = { id: `si_${subscriptionId}`, object: 'subscription_item', price: { id: `price_${subscriptionId}`, object: 'price', product: `prod_${subscriptionId}` } };
      const status = req.method === 'DELETE' ? 'canceled' : 'active';
      return reply(200, { id: subscriptionId, object: 'subscription', status, cancel_at_period_end: params.cancel_at_period_end === 'true', items: { object: 'list', data: [item] } });
    }
    if (req.method !== 'POST' || req.url !== '/v1/checkout/sessions') return reply(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.url})` } });
    const params = await readForm(req);
    if (failing) {
      const status = failing;
      failing = undefined;
      return reply(status, { error: { type: 'api_error', message: 'Scripted failure' } });
    }
    const sessionId = id('cs');
    const session: FakeCheckoutSession = {
      id: sessionId,
      url: `${baseUrl}/c/pay/${sessionId}`,
      params,
      metadata: nested(params, 'metadata'),
      clientReferenceId: params.client_reference_id,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
    };
    sessions.push(session);
    reply(200, { id: sessionId, object: 'checkout.session', mode: params.mode, url: session.url, status: 'open', client_reference_id: params.client_reference_id ?? null, metadata: session.metadata });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    secretKey,
    webhookSecret,
    sessions,
    subscriptionCalls,
    failNext: (status) => (failing = status),
    event(type, object, options = {}) {
      const eventId = options.id ?? id('evt');
      const payload = JSON.stringify({ id: eventId, object: 'event', api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), type, livemode: false, data: { object } });
      const signature = signer.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? webhookSecret });
      return { id: eventId, payload, signature };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let shared: FakeStripe | undefined;

/** The suite's fake Stripe (test/helpers/global.ts) and the settings that point the platform at it. */
export async function startSharedFakeStripe(): Promise<Record<string, string>> {
  shared = await startFakeStripe();
  return {
    STRIPE_SECRET_KEY: shared.secretKey,
    STRIPE_WEBHOOK_SECRET: shared.webhookSecret,
    STRIPE_API_BASE: shared.baseUrl,
    // Tenants keep the local provider unless they choose Stripe (setPaymentProvider).
    PAYMENT_PROVIDER: 'local',
  };
}

export function sharedFakeStripe(): FakeStripe {
  if (!shared) throw new Error('fake Stripe not started');
  return shared;
}

export async function stopSharedFakeStripe(): Promise<void> {
  await shared?.close();
  shared = undefined;
}
