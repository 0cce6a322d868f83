import { ArrayMaxSize, ArrayNotEmpty, IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RequiresScopes } from '../../../src/federation/access';
import { MESSAGES } from '../../../src/federation/input-validation';
import { TenancyScopes } from '../tenancy.scopes';

// `organization.created`, `organization.*` or `*`.
const EVENT_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;
const EVENTS_MESSAGE = { each: true, message: 'must be event types like "organization.created", "organization.*" or "*"' };

@InputType()
export class CreateWebhookEndpointInput {
  @IsString()
  @Length(1, 2048, MESSAGES.length(1, 2048))
  @Field({ description: 'Where events are POSTed (https; http and private hosts only with WEBHOOK_ALLOW_PRIVATE_NETWORKS)' })
  url!: string;

  @ArrayNotEmpty({ message: 'must name at least one event' })
  @ArrayMaxSize(100, { message: 'must name at most 100 events' })
  @Matches(EVENT_PATTERN, EVENTS_MESSAGE)
  @Field(() => [String])
  events!: string[];

  @IsOptional()
  @IsString()
  @Field(() => String, { nullable: true, description: 'whsec_… signing secret; generated when absent' })
  secret?: string | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @IsOptional()
  @IsString()
  @Length(1, 2048, MESSAGES.length(1, 2048))
  @Field(() => String, { nullable: true })
  url?: string;

  @IsOptional()
  @ArrayNotEmpty({ message: 'must name at least one event' })
  @ArrayMaxSize(100, { message: 'must name at most 100 events' })
  @Matches(EVENT_PATTERN, EVENTS_MESSAGE)
  @Field(() => [String], { nullable: true })
  events?: string[];

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  @Field(() => Boolean, { nullable: true, description: 'false pauses deliveries; true re-enables a disabled endpoint' })
  isActive?: boolean;
}

@ArgsType()
export class WebhookDeliveryArgs {
  @Field(() => ID)
  webhookId!: string;

  @Field(() => ID)
  deliveryId!: string;
}

@ObjectType({ description: 'A new endpoint: `secret` is shown this once' })
@RequiresScopes(TenancyScopes.webhooksWrite)
export class CreatedWebhookEndpoint {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field(() => [String]) events!: string[];
  @Field() secret!: string;
  @Field() isActive!: boolean;
  @Field() createdAt!: Date;
}

@ObjectType({ description: 'A rotated secret: the new one (shown this once) and until when the old one still signs' })
@RequiresScopes(TenancyScopes.webhooksWrite)
export class RotatedWebhookSecret {
  @Field(() => ID) id!: string;
  @Field() secret!: string;
  @Field() previousSecretExpiresAt!: Date;
}

@ObjectType({ description: 'What the endpoint answered to a test event' })
@RequiresScopes(TenancyScopes.webhooksWrite)
export class WebhookTestResult {
  @Field() success!: boolean;
  @Field(() => Int, { nullable: true }) statusCode!: number | null;
  @Field(() => Int) responseTimeMs!: number;
  @Field(() => String, { nullable: true, description: 'The response body (truncated)' }) responseBody!: string | null;
  @Field(() => String, { nullable: true, description: 'Why no 2xx answer came (timeout, refused address, ...)' }) error!: string | null;
}

@ObjectType({ description: 'One delivery attempt and its outcome, live' })
@RequiresScopes(TenancyScopes.webhooksRead)
export class WebhookDeliveryUpdate {
  @Field(() => ID) deliveryId!: string;
  @Field(() => ID) endpointId!: string;
  @Field() eventId!: string;
  @Field() eventType!: string;
  @Field({ description: 'pending, success, failed or retrying' }) status!: string;
  @Field(() => Int) attempt!: number;
  @Field(() => Int, { nullable: true }) responseCode!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Date, { nullable: true }) nextRetryAt!: Date | null;
  @Field() attemptedAt!: Date;
}
