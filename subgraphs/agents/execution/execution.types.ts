import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import { OptionalUuid } from '../../../src/federation/input-validation';

@InputType({ description: 'One chat message, as in the OpenAI chat format' })
export class ChatMessageInput {
  @IsIn(['system', 'user', 'assistant'], { message: 'must be system, user or assistant' })
  @Field({ description: 'system, user or assistant' })
  role!: 'system' | 'user' | 'assistant';

  @Length(1, 200_000, { message: 'must be 1 to 200000 characters' })
  @Field()
  content!: string;
}

@InputType()
export class AgentChatInput {
  @IsOptional()
  @ArrayMaxSize(200, { message: 'must have at most 200 messages' })
  @ValidateNested({ each: true })
  @Field(() => [ChatMessageInput], { nullable: true, description: 'The new messages (or `input`)' })
  messages?: ChatMessageInput[] | null;

  @IsOptional()
  @Length(1, 200_000, { message: 'must be 1 to 200000 characters' })
  @Field(() => String, { nullable: true, description: 'A single user message, instead of `messages`' })
  input?: string | null;

  @OptionalUuid({ description: "A conversation of the caller's: its history is injected and the new messages saved" })
  conversationId?: string | null;

  @IsOptional()
  @Matches(/^[\w.:/-]{1,100}$/, { message: 'must be a model identifier' })
  @Field(() => String, { nullable: true, description: "Overrides the agent's model" })
  model?: string | null;

  @IsOptional()
  @IsNumber({}, { message: 'must be a number' })
  @Min(0, { message: 'must be between 0 and 2' })
  @Max(2, { message: 'must be between 0 and 2' })
  @Field(() => Float, { nullable: true })
  temperature?: number | null;

  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be between 1 and 1000000' })
  @Max(1_000_000, { message: 'must be between 1 and 1000000' })
  @Field(() => Int, { nullable: true })
  maxTokens?: number | null;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true, defaultValue: true })
  useTools?: boolean | null;

  @IsOptional()
  @IsBoolean()
  @Field(() => Boolean, { nullable: true, defaultValue: true })
  useRag?: boolean | null;
}

@RequiresScopes(SELF_SCOPE)
@ObjectType({ description: "A live event of a conversation's chat: token deltas and tool calls with their results as they happen, then one final event" })
export class AgentChatEvent {
  @Field({ description: 'delta, tool_call, tool_result, or finished (the last event of a chat)' })
  type!: 'delta' | 'tool_call' | 'tool_result' | 'finished';

  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID)
  executionId!: string;

  @Field(() => Int, { nullable: true, description: 'Position of the delta in the answer, from 0' })
  index!: number | null;

  @Field(() => String, { nullable: true })
  delta!: string | null;

  @Field(() => String, { nullable: true, description: 'The id the model gave the tool call (tool_call and tool_result)' })
  toolCallId!: string | null;

  @Field(() => String, { nullable: true, description: 'The function called: <server>__<tool>' })
  toolName!: string | null;

  @Field(() => String, { nullable: true, description: "The call's arguments as the model wrote them (JSON text)" })
  toolArguments!: string | null;

  @Field(() => String, { nullable: true, description: "The tool's result as given to the model (tool_result only)" })
  toolResult!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the tool failed; the model was given the error (tool_result only)' })
  toolIsError!: boolean | null;

  @Field(() => String, { nullable: true, description: 'SUCCESS or FAILED (finished only)' })
  status!: string | null;

  @Field(() => String, { nullable: true, description: 'The full answer (finished only)' })
  output!: string | null;

  @Field(() => String, { nullable: true })
  errorMessage!: string | null;

  @Field(() => Int, { nullable: true })
  inputTokens!: number | null;

  @Field(() => Int, { nullable: true })
  outputTokens!: number | null;
}
