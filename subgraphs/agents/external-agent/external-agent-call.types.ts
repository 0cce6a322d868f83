import { IsIn, IsInt, IsNumber, IsObject, IsOptional, IsUUID, Length, Max, Min } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { MESSAGES, OptionalUuid } from '../../../src/federation/input-validation';
import { skipLimitArgs } from '../agent/agent.inputs';
import { AgentsScopes } from '../agents.scopes';
import { ExternalAgentCall } from './external-agent-call.entity';

const INT_MAX = 2_147_483_647;
const count = { message: 'must be a whole number of at least 0' };

/** What an external agent reports about one call (001 `external_agents`); absent numbers are 0. */
@InputType()
export class ExternalAgentCallInput {
  @OptionalUuid({ description: 'The end user who triggered the call (default: the signed-in user)' })
  userId?: string | null;

  @OptionalUuid({ description: "The organization (default: the user's default organization)" })
  organizationId?: string | null;

  @IsOptional()
  @IsInt(count)
  @Min(0, count)
  @Max(INT_MAX, { message: 'is too large' })
  @Field(() => Int, { nullable: true })
  inputTokens?: number | null;

  @IsOptional()
  @IsInt(count)
  @Min(0, count)
  @Max(INT_MAX, { message: 'is too large' })
  @Field(() => Int, { nullable: true })
  outputTokens?: number | null;

  @IsOptional()
  @IsInt(count)
  @Min(0, count)
  @Max(INT_MAX, { message: 'is too large' })
  @Field(() => Int, { nullable: true, description: 'Default: input + output tokens' })
  totalTokens?: number | null;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 8 }, { message: 'must be a number with at most 8 decimals' })
  @Min(0, { message: 'must not be negative' })
  @Max(1_000_000_000, { message: 'is too large' })
  @Field(() => Float, { nullable: true, description: 'US dollars' })
  costUsd?: number | null;

  @IsOptional()
  @IsInt(count)
  @Min(0, count)
  @Max(INT_MAX, { message: 'is too large' })
  @Field(() => Int, { nullable: true })
  durationMs?: number | null;

  @IsOptional()
  @IsIn(['SUCCESS', 'ERROR'], { message: 'must be SUCCESS or ERROR' })
  @Field(() => String, { nullable: true, description: 'SUCCESS (default) or ERROR' })
  status?: string | null;

  @IsOptional()
  @Length(1, 10_000, MESSAGES.length(1, 10_000))
  @Field(() => String, { nullable: true })
  errorMessage?: string | null;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
  @Field(() => GraphQLJSONObject, { nullable: true })
  callMetadata?: Record<string, unknown> | null;
}

export const ExternalAgentCallPageArgs = skipLimitArgs(50, 100);

/** Which calls: all of the tenant's (a key with agents:read) or the caller's own, narrowed by agent, user or organization. */
@ArgsType()
export class ExternalAgentCallFilterArgs {
  @IsOptional()
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { nullable: true })
  externalAgentId?: string | null;

  @IsOptional()
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { nullable: true })
  userId?: string | null;

  @IsOptional()
  @IsUUID('all', MESSAGES.uuid)
  @Field(() => ID, { nullable: true })
  organizationId?: string | null;
}

@RequiresScopes(AgentsScopes.agentsRead, SELF_SCOPE)
@ObjectType({ description: 'Sums over the calls that match, all pages together' })
export class ExternalAgentCallTotals {
  @Field(() => Int)
  calls!: number;

  @Field(() => Int, { description: 'Calls with status ERROR' })
  errors!: number;

  @Field(() => Float, { description: 'Sums may pass the 32-bit range of Int' })
  inputTokens!: number;

  @Field(() => Float)
  outputTokens!: number;

  @Field(() => Float)
  totalTokens!: number;

  @Field(() => Float, { description: 'US dollars' })
  costUsd!: number;

  @Field(() => Float)
  durationMs!: number;
}

@RequiresScopes(AgentsScopes.agentsRead, SELF_SCOPE)
@ObjectType({ description: 'A page of external agent calls, newest first, and the totals of every matching call' })
export class ExternalAgentCallPage {
  @Field(() => [ExternalAgentCall])
  items!: ExternalAgentCall[];

  @Field(() => Int)
  total!: number;

  @Field(() => ExternalAgentCallTotals)
  totals!: ExternalAgentCallTotals;
}

export enum ExternalAgentCallGrouping {
  AGENT = 'AGENT',
  USER = 'USER',
  ORGANIZATION = 'ORGANIZATION',
}
registerEnumType(ExternalAgentCallGrouping, { name: 'ExternalAgentCallGrouping' });

@RequiresScopes(AgentsScopes.agentsRead, SELF_SCOPE)
@ObjectType({ description: 'The totals of one agent, user or organization' })
export class ExternalAgentCallGroup {
  @Field(() => ID, { nullable: true, description: 'The agent, user or organization id (null: calls without one)' })
  key!: string | null;

  @Field(() => ExternalAgentCallTotals)
  totals!: ExternalAgentCallTotals;
}
