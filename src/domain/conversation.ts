/** What proactive messages need to reach a person later. */
export interface ConversationRecord {
  userId: string;
  conversationId: string;
  /** The serialised botbuilder ConversationReference. */
  reference: unknown;
  locale?: string;
  updatedAt: string;
}

/**
 * A team member the bot may start a 1:1 chat with although they never wrote to it: read from the
 * roster of a team the bot is installed in. Only what creating the chat needs, plus the name,
 * which an accounthouder is told when the person still cannot be reached.
 */
export interface RosterAddress {
  /** Entra object id. */
  userId: string;
  /** The member's Teams id in that tenant ("29:…"). */
  rosterId: string;
  tenantId: string;
  serviceUrl: string;
  /** The bot's id in that tenant ("28:…"), as the roster's team addressed it. */
  botId: string;
  name: string;
  updatedAt: string;
}

/** Why a person could not be reached in their 1:1 chat. */
export type UnreachableReason = 'noAddress' | 'refused';

/**
 * The parameters of Teams' "create conversation" for a 1:1 chat with a roster member: not a
 * group, the bot and that one member, in their tenant (twice: Teams reads channelData).
 */
export function personalConversationParameters(address: RosterAddress) {
  return {
    isGroup: false,
    bot: { id: address.botId, name: '' },
    members: [{ id: address.rosterId, name: '' }],
    tenantId: address.tenantId,
    channelData: { tenant: { id: address.tenantId } },
  };
}
