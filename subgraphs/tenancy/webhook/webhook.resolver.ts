import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { requireTenant, RequiresScopes } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import { ListArgs, PageOf } from '../../../src/federation/list-args';
import type { PlatformEvent } from '../../../src/events/types';
import { TenancyScopes } from '../tenancy.scopes';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookDeliveryAttempted, type WebhookDeliveryAttemptedPayload } from './webhook.events';
import type { EndpointWithSecret, WebhookService } from './webhook.service';
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointInput,
  RotatedWebhookSecret,
  UpdateWebhookEndpointInput,
  WebhookDeliveryArgs,
  WebhookDeliveryUpdate,
  WebhookTestResult,
} from './webhook.types';

const WebhookEndpointPage = PageOf(WebhookEndpoint);
const WebhookDeliveryPage = PageOf(WebhookDelivery);

function created({ endpoint, secret }: EndpointWithSecret): CreatedWebhookEndpoint {
  const { id, url, events, isActive, createdAt } = endpoint;
  return { id, url, events, secret, isActive, createdAt };
}

type AttemptEvent = PlatformEvent<WebhookDeliveryAttemptedPayload>;

export function createWebhookResolvers(webhooks: WebhookService) {
  @Resolver(() => WebhookEndpoint)
  class WebhookEndpointResolver {
    @RequiresScopes(TenancyScopes.webhooksRead)
    @Query(() => WebhookEndpointPage, { description: 'The workspace’s webhook endpoints (status: active, disabled)' })
    webhookEndpoints(@Args() list: ListArgs, @Ctx() { identity }: SubgraphContext) {
      return webhooks.list(requireTenant(identity), list);
    }

    @RequiresScopes(TenancyScopes.webhooksRead)
    @Query(() => WebhookEndpoint, { description: 'One webhook endpoint with its delivery counts (not found: NOT_FOUND)' })
    webhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<WebhookEndpoint> {
      return webhooks.get(requireTenant(identity), id);
    }

    @RequiresScopes(TenancyScopes.webhooksRead)
    @Query(() => WebhookDeliveryPage, { description: 'Deliveries to one endpoint, newest first (status: pending, success, failed, retrying)' })
    webhookDeliveries(@Arg('webhookId', () => ID) webhookId: string, @Args() list: ListArgs, @Ctx() { identity }: SubgraphContext) {
      return webhooks.deliveries(requireTenant(identity), webhookId, list);
    }

    @RequiresScopes(TenancyScopes.webhooksWrite)
    @Mutation(() => CreatedWebhookEndpoint, { description: 'Subscribe a URL to events; the secret is returned only here' })
    async createWebhookEndpoint(@Arg('input') input: CreateWebhookEndpointInput, @Ctx() { identity }: SubgraphContext): Promise<CreatedWebhookEndpoint> {
      return created(await webhooks.create(requireTenant(identity), input));
    }

    @RequiresScopes(TenancyScopes.webhooksWrite)
    @Mutation(() => WebhookEndpoint)
    updateWebhookEndpoint(
      @Arg('id', () => ID) id: string,
      @Arg('input') input: UpdateWebhookEndpointInput,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<WebhookEndpoint> {
      return webhooks.update(requireTenant(identity), id, input);
    }

    @RequiresScopes(TenancyScopes.webhooksDelete)
    @Mutation(() => WebhookEndpoint, { description: 'Delete an endpoint and its deliveries' })
    deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<WebhookEndpoint> {
      return webhooks.delete(requireTenant(identity), id);
    }

    @RequiresScopes(TenancyScopes.webhooksWrite)
    @Mutation(() => RotatedWebhookSecret, { description: 'A new signing secret; deliveries carry both signatures until previousSecretExpiresAt' })
    async rotateWebhookSecret(
      @Arg('id', () => ID) id: string,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<RotatedWebhookSecret> {
      const { endpoint, secret, previousSecretExpiresAt } = await webhooks.rotateSecret(requireTenant(identity), id);
      return { id: endpoint.id, secret, previousSecretExpiresAt: previousSecretExpiresAt! };
    }

    @RequiresScopes(TenancyScopes.webhooksWrite)
    @Mutation(() => WebhookTestResult, { description: 'Send a webhook.test event now and report the answer' })
    async testWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<WebhookTestResult> {
      const result = await webhooks.test(requireTenant(identity), id);
      return {
        success: result.success,
        statusCode: result.statusCode ?? null,
        responseTimeMs: result.durationMs,
        responseBody: result.responseBody ?? null,
        error: result.error ?? null,
      };
    }

    @RequiresScopes(TenancyScopes.webhooksWrite)
    @Mutation(() => WebhookDelivery, { description: 'Queue one more attempt of a delivery that did not succeed (CANNOT_RETRY when it did)' })
    retryWebhookDelivery(@Args() { webhookId, deliveryId }: WebhookDeliveryArgs, @Ctx() { identity }: SubgraphContext): Promise<WebhookDelivery> {
      return webhooks.retry(requireTenant(identity), webhookId, deliveryId);
    }

    @RequiresScopes(TenancyScopes.webhooksRead)
    @Subscription(() => WebhookDeliveryUpdate, {
      topics: WebhookDeliveryAttempted.type,
      description: 'Each delivery attempt and its outcome, for one endpoint or all of the workspace’s',
      filter: ({ payload, args, context }: { payload: AttemptEvent; args: { endpointId?: string | null }; context: SubgraphContext }) =>
        payload.tenantId != null && payload.tenantId === context.identity.tenantId && (args.endpointId == null || payload.payload.endpointId === args.endpointId),
    })
    webhookDeliveryUpdated(@Root() event: AttemptEvent, @Arg('endpointId', () => ID, { nullable: true }) _endpointId?: string): WebhookDeliveryUpdate {
      const p = event.payload;
      return { ...p, nextRetryAt: p.nextRetryAt ? new Date(p.nextRetryAt) : null, attemptedAt: new Date(p.attemptedAt) };
    }
  }

  @Resolver(() => WebhookDelivery)
  class WebhookDeliveryResolver {
    @RequiresScopes(TenancyScopes.webhooksRead, TenancyScopes.webhooksWrite)
    @FieldResolver(() => Int, { nullable: true, description: 'The number of the attempt queued now (pending or retrying), else null' })
    nextAttempt(@Root() delivery: WebhookDelivery): number | null {
      return delivery.status === 'pending' || delivery.status === 'retrying' ? delivery.attempt + 1 : null;
    }
  }

  return [WebhookEndpointResolver, WebhookDeliveryResolver] as const;
}
