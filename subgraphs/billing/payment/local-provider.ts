import type { ChargeRequest, CheckoutRequest, HostedCheckout, PaymentProvider } from './payment-provider';

/** Where the local provider's confirmation page lives, under the router's public URL. */
export const LOCAL_CHECKOUT_PATH = '/v1/billing/checkout';

/**
 * The built-in provider used when no payment service is configured: its checkout page is the
 * platform's own (`GET {publicUrl}/v1/billing/checkout/{session_id}` shows the session,
 * `POST …/confirm` completes it), and every invoice counts as paid when generated.
 */
export class LocalPaymentProvider implements PaymentProvider {
  readonly name = 'local';

  constructor(private readonly publicUrl: string) {}

  async startCheckout(request: CheckoutRequest): Promise<HostedCheckout> {
    return { url: `${this.publicUrl}${LOCAL_CHECKOUT_PATH}/${request.sessionId}`, providerSessionId: null };
  }

  async charge(_request: ChargeRequest): Promise<{ paid: boolean; providerInvoiceId: string | null }> {
    return { paid: true, providerInvoiceId: null };
  }
}
