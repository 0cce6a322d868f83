import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { requireUser, RequiresScopes, SELF_SCOPE } from '../../../src/federation/access';
import type { SubgraphContext } from '../../../src/federation/context';
import type { EventPayload } from '../../../src/events/define';
import type { PlatformEvent } from '../../../src/events/types';
import type { EventPubSub } from '../../../src/events/pubsub';
import type { RoleOf } from '../../../src/federation/organization-access';
import { filter, pipe, Repeater } from '@graphql-yoga/subscription';
import { DomainError } from '../../../src/errors';
import { HistoryArgs } from '../agent/agent.inputs';
import type { AgentService } from '../agent/agent.service';
import { Conversation, ConversationMessage } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';
import { AgentExecution } from './execution.entity';
import { AgentChatDelta, AgentChatFinished, AgentChatTool } from './execution.events';
import type { ExecutionService } from './execution.service';
import { AgentChatEvent, AgentChatInput } from './execution.types';

type ChatEvent = PlatformEvent<EventPayload<typeof AgentChatDelta> | EventPayload<typeof AgentChatTool> | EventPayload<typeof AgentChatFinished>>;

/** End-user chat, conversations and history; every row is the signed-in user's own. */
export function createExecutionResolvers(
  agents: AgentService,
  conversations: ConversationService,
  executions: ExecutionService,
  pubSub: EventPubSub | undefined,
  roleOf: RoleOf,
) {
  /** The signed-in user's scope on an agent that exists in their tenant (else 404). */
  async function ownerOn(identity: SubgraphContext['identity'], agentId: string, activeOnly: boolean) {
    const { tenantId, userId } = requireUser(identity);
    const agent = activeOnly ? await agents.activeOrNotFound(tenantId, agentId) : await agents.byId(tenantId, agentId);
    if (!agent) throw new DomainError('NOT_FOUND', 'Agent not found');
    return { tenantId, userId, agentId: agent.id };
  }

  @Resolver()
  class ChatResolver {
    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => AgentExecution, { description: 'Chat with an agent (60 per minute per user); a provider failure is a FAILED execution' })
    async chatWithAgent(
      @Arg('agentId', () => ID) agentId: string,
      @Arg('input') input: AgentChatInput,
      @Arg('organizationId', () => ID, { nullable: true, description: "The organization billed (REST: X-Organization-Id); the caller must be a member. Default: the caller's default organization" })
      organizationId: string | null,
      @Ctx() context: SubgraphContext,
    ): Promise<AgentExecution> {
      const { identity } = context;
      const { tenantId, userId } = requireUser(identity);
      // Not a member (or no such organization): indistinguishable, as for every other resource.
      if (organizationId && !(await roleOf(context, tenantId, userId, organizationId))) throw new DomainError('NOT_FOUND', 'Organization not found');
      return executions.chat({ tenantId, userId, organizationId: organizationId ?? null, identity }, agentId, input);
    }

    @RequiresScopes(SELF_SCOPE)
    @Query(() => [AgentExecution], { description: "The signed-in user's executions with an agent, newest first" })
    async agentHistory(
      @Arg('agentId', () => ID) agentId: string,
      @Args(() => HistoryArgs) { skip, limit }: InstanceType<typeof HistoryArgs>,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<AgentExecution[]> {
      const owner = await ownerOn(identity, agentId, false);
      return executions.history({ ...owner, organizationId: null }, owner.agentId, skip, limit);
    }

    @RequiresScopes(SELF_SCOPE)
    @Subscription(() => AgentChatEvent, {
      description: "Live token deltas and tool calls of a conversation's chats, then a final event with the full output and usage (its owner only: another user's conversation → NOT_FOUND)",
      subscribe: async ({ args, context }: { args: { conversationId: string }; context: SubgraphContext }) => {
        const { tenantId, userId } = requireUser(context.identity);
        // Checked once, before listening: a stranger learns nothing and receives nothing.
        await conversations.ofUser(tenantId, userId, args.conversationId);
        if (!pubSub) throw new Error('no event pub/sub in this process');
        const source = Repeater.merge([AgentChatDelta.type, AgentChatTool.type, AgentChatFinished.type].map((topic) => pubSub.subscribe(topic) as AsyncIterable<ChatEvent>));
        return pipe(
          source,
          filter((event: ChatEvent) => event.tenantId === tenantId && event.payload.userId === userId && event.payload.conversationId === args.conversationId),
        );
      },
    })
    agentChatEvents(@Root() event: ChatEvent, @Arg('conversationId', () => ID) _conversationId: string): AgentChatEvent {
      const p = event.payload;
      const empty = { index: null, delta: null, toolCallId: null, toolName: null, toolArguments: null, toolResult: null, toolIsError: null, status: null, output: null, errorMessage: null, inputTokens: null, outputTokens: null };
      const base = { ...empty, conversationId: p.conversationId, executionId: p.executionId };
      if ('delta' in p) return { ...base, type: 'delta', index: p.index, delta: p.delta };
      if ('phase' in p) {
        const tool = { toolCallId: p.toolCallId, toolName: p.name, toolArguments: p.arguments };
        return p.phase === 'call' ? { ...base, ...tool, type: 'tool_call' } : { ...base, ...tool, type: 'tool_result', toolResult: p.result, toolIsError: p.isError };
      }
      return { ...base, type: 'finished', status: p.status, output: p.output, errorMessage: p.errorMessage, inputTokens: p.inputTokens, outputTokens: p.outputTokens };
    }
  }

  @Resolver(() => Conversation)
  class ConversationResolver {
    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => Conversation, { description: 'Start a conversation with an active agent' })
    async createAgentConversation(
      @Arg('agentId', () => ID) agentId: string,
      @Arg('title', () => String, { nullable: true }) title: string | null,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<Conversation> {
      if (title != null && title.length > 200) throw new DomainError('VALIDATION_FAILED', 'Validation failed', { fields: [{ field: 'title', message: 'must be at most 200 characters' }] });
      return conversations.create(await ownerOn(identity, agentId, true), title ?? null);
    }

    @RequiresScopes(SELF_SCOPE)
    @Query(() => [Conversation], { description: "The signed-in user's conversations with an agent, newest first" })
    async agentConversations(
      @Arg('agentId', () => ID) agentId: string,
      @Args(() => HistoryArgs) { skip, limit }: InstanceType<typeof HistoryArgs>,
      @Ctx() { identity }: SubgraphContext,
    ): Promise<Conversation[]> {
      return conversations.list(await ownerOn(identity, agentId, false), skip, limit);
    }

    @RequiresScopes(SELF_SCOPE)
    @Query(() => Conversation, { description: "One of the signed-in user's conversations, with its messages" })
    async agentConversation(@Arg('agentId', () => ID) agentId: string, @Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<Conversation> {
      return conversations.owned(await ownerOn(identity, agentId, false), id);
    }

    @RequiresScopes(SELF_SCOPE)
    @Mutation(() => Boolean, { description: 'End a conversation (soft close): it stays readable and takes no new messages' })
    async endAgentConversation(@Arg('agentId', () => ID) agentId: string, @Arg('id', () => ID) id: string, @Ctx() { identity }: SubgraphContext): Promise<boolean> {
      return conversations.end(await ownerOn(identity, agentId, false), id);
    }

    @FieldResolver(() => [ConversationMessage], { description: 'Messages in the order they were said' })
    messages(@Root() conversation: Conversation): Promise<ConversationMessage[]> {
      return conversations.messages(conversation.tenantId, conversation.id);
    }
  }

  return [ChatResolver, ConversationResolver] as const;
}
