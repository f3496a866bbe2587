/** What proactive messages need to reach a person later. */
export interface ConversationRecord {
  userId: string;
  conversationId: string;
  /** The serialised botbuilder ConversationReference. */
  reference: unknown;
  locale?: string;
  updatedAt: string;
}
