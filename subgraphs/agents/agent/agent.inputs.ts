import { IsBoolean, IsInt, IsNumber, IsObject, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, Float, InputType, Int } from 'type-graphql';
import { MESSAGES, OptionalUuid } from '../../../src/federation/input-validation';
import { AgentResponseType, RagProvider } from './agent.entity';

const MODEL_ID = /^[\w.:/-]{1,100}$/;

/** Settings shared by create and update; on update every field is optional (absent = unchanged). */
@InputType()
export class UpdateAgentInput {
  @IsOptional()
  @Length(1, 100, MESSAGES.length(1, 100))
  @Matches(/\S/, { message: 'must not be blank' })
  @Field({ nullable: true })
  name?: string;

  @IsOptional()
  @Matches(MODEL_ID, { message: 'must be a model identifier' })
  @Field(() => String, { nullable: true, description: 'Model identifier, e.g. gpt-4o-mini (default: AGENT_DEFAULT_MODEL)' })
  model?: string | null;

  @IsOptional()
  @Length(0, 2000, MESSAGES.maxLength(2000))
  @Field(() => String, { nullable: true })
  description?: string | null;

  @IsOptional()
  @Length(0, 100_000, MESSAGES.maxLength(100_000))
  @Field(() => String, { nullable: true })
  systemPrompt?: string | null;

  @IsOptional()
  @IsNumber({}, { message: 'must be a number' })
  @Min(0, { message: 'must be between 0 and 2' })
  @Max(2, { message: 'must be between 0 and 2' })
  @Field(() => Float, { nullable: true })
  temperature?: number | null;

  @Field(() => AgentResponseType, { nullable: true })
  responseType?: AgentResponseType | null;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true })
  isActive?: boolean | null;

  @Field(() => RagProvider, { nullable: true })
  ragProvider?: RagProvider | null;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
  @Field(() => GraphQLJSONObject, { nullable: true })
  ragConfig?: Record<string, unknown> | null;

  @IsOptional()
  @IsObject({ each: true, message: 'must be a list of objects' })
  @Field(() => [GraphQLJSONObject], { nullable: true, description: 'MCP server configurations, e.g. {"url": "https://…/mcp", "name": "docs"}' })
  mcpServers?: Array<Record<string, unknown>> | null;

  @OptionalUuid({ description: 'End user who owns the agent' })
  ownerUserId?: string | null;
}

@InputType()
export class CreateAgentInput extends UpdateAgentInput {
  @Length(1, 100, MESSAGES.length(1, 100))
  @Matches(/\S/, { message: 'must not be blank' })
  @Field()
  declare name: string;
}

/** `skip`/`limit` of the end-user lists, named as the REST face names them. */
export function skipLimitArgs(defaultLimit: number, maxLimit: number) {
  @ArgsType()
  class SkipLimitArgs {
    @IsInt()
    @Min(0, { message: 'must not be negative' })
    @Field(() => Int, { defaultValue: 0 })
    skip!: number;

    @IsInt()
    @Min(1, { message: `must be between 1 and ${maxLimit}` })
    @Max(maxLimit, { message: `must be between 1 and ${maxLimit}` })
    @Field(() => Int, { defaultValue: defaultLimit })
    limit!: number;
  }
  return SkipLimitArgs;
}

export const AvailableAgentsArgs = skipLimitArgs(50, 100);
export const HistoryArgs = skipLimitArgs(20, 50);

