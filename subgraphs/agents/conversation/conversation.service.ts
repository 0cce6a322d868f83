import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../../src/errors';
import { isUuid } from '../../../src/validation';
import { AgentsErrors } from '../agents.errors';
import type { ChatMessage } from '../provider/model-provider';
import { Conversation, ConversationMessage, ConversationStatus } from './conversation.entity';

/** Whose conversation: every read and write is scoped to the end user and the agent. */
export interface ConversationOwner {
  tenantId: string;
  userId: string;
  agentId: string;
}

export class ConversationService {
  constructor(private readonly dataSource: DataSource) {}

  async create(owner: ConversationOwner, title: string | null): Promise<Conversation> {
    const repo = this.dataSource.getRepository(Conversation);
    return repo.save(repo.create({ ...owner, title, status: ConversationStatus.ACTIVE }));
  }

  /** The owner's conversations with the agent, newest first. */
  list(owner: ConversationOwner, skip: number, limit: number): Promise<Conversation[]> {
    return this.dataSource.getRepository(Conversation).find({ where: { ...owner }, order: { createdAt: 'DESC', id: 'DESC' }, skip, take: limit });
  }

  /** The owner's conversation; another user's, another agent's or another tenant's → 404. */
  async owned(owner: ConversationOwner, id: string, manager: EntityManager = this.dataSource.manager): Promise<Conversation> {
    const conversation = isUuid(id) ? await manager.getRepository(Conversation).findOneBy({ ...owner, id }) : null;
    if (!conversation) throw new DomainError('NOT_FOUND', 'Conversation not found');
    return conversation;
  }

  /** The user's conversation with any agent (live events); another user's or tenant's → 404. */
  async ofUser(tenantId: string, userId: string, id: string): Promise<Conversation> {
    const conversation = isUuid(id) ? await this.dataSource.getRepository(Conversation).findOneBy({ tenantId, userId, id }) : null;
    if (!conversation) throw new DomainError('NOT_FOUND', 'Conversation not found');
    return conversation;
  }

  /** An ACTIVE conversation of the owner, for chatting in it. */
  async active(owner: ConversationOwner, id: string, manager?: EntityManager): Promise<Conversation> {
    const conversation = await this.owned(owner, id, manager);
    if (conversation.status !== ConversationStatus.ACTIVE) throw new DomainError(AgentsErrors.CONVERSATION_ENDED);
    return conversation;
  }

  /** Soft close: the conversation stays readable and refuses new messages. Ending twice is harmless. */
  async end(owner: ConversationOwner, id: string): Promise<boolean> {
    const conversation = await this.owned(owner, id);
    if (conversation.status !== ConversationStatus.ENDED) {
      await this.dataSource.getRepository(Conversation).update({ id: conversation.id, tenantId: owner.tenantId }, { status: ConversationStatus.ENDED });
    }
    return true;
  }

  messages(tenantId: string, conversationId: string): Promise<ConversationMessage[]> {
    return this.dataSource.getRepository(ConversationMessage).find({ where: { tenantId, conversationId }, order: { position: 'ASC' } });
  }

  /** The history to inject before new messages. */
  async history(tenantId: string, conversationId: string): Promise<ChatMessage[]> {
    return (await this.messages(tenantId, conversationId)).map(({ role, content }) => ({ role: role as ChatMessage['role'], content }));
  }

  /**
   * Appends messages in order, inside the caller's transaction; the conversation row is locked and
   * re-checked so a conversation ended meanwhile takes no new messages.
   */
  async append(manager: EntityManager, owner: ConversationOwner, conversationId: string, messages: Array<ChatMessage & { tokensUsed?: number; metadata?: Record<string, unknown> | null }>): Promise<void> {
    const locked = await manager.getRepository(Conversation).findOne({ where: { ...owner, id: conversationId }, lock: { mode: 'pessimistic_write' } });
    if (!locked) throw new DomainError('NOT_FOUND', 'Conversation not found');
    if (locked.status !== ConversationStatus.ACTIVE) throw new DomainError(AgentsErrors.CONVERSATION_ENDED);
    const repo = manager.getRepository(ConversationMessage);
    // One multi-row INSERT: `position` (serial) follows the VALUES order.
    await repo.save(
      messages.map((m) => repo.create({ tenantId: owner.tenantId, conversationId, role: m.role, content: m.content, tokensUsed: m.tokensUsed ?? 0, metadata: m.metadata ?? null })),
    );
    await manager.getRepository(Conversation).update({ id: conversationId, tenantId: owner.tenantId }, { updatedAt: new Date() });
  }
}
