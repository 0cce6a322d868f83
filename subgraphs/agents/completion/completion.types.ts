import { ArrayMaxSize, ArrayMinSize, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { ChatMessageInput } from '../execution/execution.types';

/** `POST /v1/ai/completions`: a plain model call in the OpenAI chat-completions format, no agent. */
@InputType()
export class AiCompletionInput {
  @Matches(/^[\w.:/-]{1,100}$/, { message: 'must be a model identifier' })
  @Field({ description: "The provider's model, e.g. gpt-4o-mini" })
  model!: string;

  @ArrayMinSize(1, { message: 'must have at least one message' })
  @ArrayMaxSize(200, { message: 'must have at most 200 messages' })
  @ValidateNested({ each: true })
  @Field(() => [ChatMessageInput])
  messages!: ChatMessageInput[];

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be between 1 and 1000000' })
  @Max(1_000_000, { message: 'must be between 1 and 1000000' })
  @Field(() => Int, { nullable: true })
  maxTokens?: number | null;

  @IsOptional()
  @IsNumber({}, { message: 'must be a number' })
  @Min(0, { message: 'must be between 0 and 2' })
  @Max(2, { message: 'must be between 0 and 2' })
  @Field(() => Float, { nullable: true })
  temperature?: number | null;
}

@RequiresScopes(SELF_SCOPE)
@ObjectType({ description: 'A message of a completion (OpenAI `message` / `delta`)' })
export class AiCompletionMessage {
  @Field(() => String, { nullable: true, description: 'assistant (absent in deltas after the first)' })
  role!: string | null;

  @Field(() => String, { nullable: true })
  content!: string | null;
}

@RequiresScopes(SELF_SCOPE)
@ObjectType({ description: 'One choice of a completion (there is always exactly one)' })
export class AiCompletionChoice {
  @Field(() => Int)
  index!: number;

  @Field(() => AiCompletionMessage, { nullable: true, description: 'The answer (chat.completion)' })
  message!: AiCompletionMessage | null;

  @Field(() => AiCompletionMessage, { nullable: true, description: 'The piece of the answer (chat.completion.chunk)' })
  delta!: AiCompletionMessage | null;

  @Field(() => String, { nullable: true, description: 'stop or length; null until the last chunk' })
  finishReason!: string | null;
}

@RequiresScopes(SELF_SCOPE)
@ObjectType({ description: "Token usage, from the provider's own count" })
export class AiCompletionUsage {
  @Field(() => Int)
  promptTokens!: number;

  @Field(() => Int)
  completionTokens!: number;

  @Field(() => Int)
  totalTokens!: number;
}

@RequiresScopes(SELF_SCOPE)
@ObjectType({ description: 'A failing input field of a refused completion' })
export class AiCompletionFieldError {
  @Field()
  field!: string;

  @Field()
  message!: string;
}

@RequiresScopes(SELF_SCOPE)
@ObjectType({ description: 'Why a streamed completion stopped: refused before it started, or the provider failed midway' })
export class AiCompletionError {
  @Field()
  message!: string;

  @Field({ description: 'provider_error (midway), or refused (before any chunk)' })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The error code of a refusal (VALIDATION_FAILED, PAYMENT_REQUIRED, PROVIDER_NOT_CONFIGURED…)' })
  code!: string | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of a refusal' })
  status!: number | null;

  @Field(() => [AiCompletionFieldError], { nullable: true })
  fields!: AiCompletionFieldError[] | null;
}

/** A completion (`chat.completion`) or one streamed chunk of it (`chat.completion.chunk`), as OpenAI answers them. */
@RequiresScopes(SELF_SCOPE)
@ObjectType({ description: 'An OpenAI-format completion, or one chunk of a streamed one' })
export class AiCompletion {
  @Field(() => ID, { description: 'chatcmpl-…, the same for every chunk of one completion' })
  id!: string;

  @Field({ description: 'chat.completion or chat.completion.chunk' })
  object!: string;

  @Field(() => Int, { description: 'Unix seconds' })
  created!: number;

  @Field()
  model!: string;

  @Field(() => [AiCompletionChoice])
  choices!: AiCompletionChoice[];

  @Field(() => AiCompletionUsage, { nullable: true, description: 'On the completion, and on the last chunk of a stream' })
  usage!: AiCompletionUsage | null;

  @Field(() => AiCompletionError, { nullable: true, description: 'Set on the last chunk of a stream that failed midway' })
  error!: AiCompletionError | null;
}
