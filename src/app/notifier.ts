import { CardFactory, CloudAdapter, ConversationReference, MessageFactory, TurnContext } from 'botbuilder';
import type { ChannelLink } from '../domain/round';
import type { Logger } from '../log';
import type { Repos } from '../ports';
import { errorFacts } from './turn';

/** Where a card lives in a channel thread. */
export interface ThreadRef {
  serviceUrl: string;
  tenantId: string;
  botId: string;
  threadId: string;
}

/**
 * Every proactive message goes through here: new review threads, card updates, replies in a
 * thread, and messages to a person's 1:1 chat (from the conversation stored when they were seen).
 */
export class Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly repos: Repos,
    private readonly log: Logger,
  ) {}

  private async continue(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.adapter.continueConversationAsync(this.appId, reference as ConversationReference, logic);
  }

  private channelReference(serviceUrl: string, tenantId: string, botId: string, conversationId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl,
      bot: { id: botId, name: 'Leerbudget' },
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId, name: '' },
    };
  }

  /** Posts a card as a new thread in a channel. */
  async postToChannel(channel: ChannelLink, card: object): Promise<{ threadId: string; activityId: string }> {
    let activityId = '';
    await this.continue(this.channelReference(channel.serviceUrl, channel.tenantId, channel.botId, channel.channelId), async (context) => {
      const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      activityId = sent?.id ?? '';
    });
    if (!activityId) throw new Error('channel post returned no id');
    return { threadId: `${channel.channelId};messageid=${activityId}`, activityId };
  }

  async updateCard(thread: ThreadRef, activityId: string, card: object): Promise<void> {
    await this.continue(this.channelReference(thread.serviceUrl, thread.tenantId, thread.botId, thread.threadId), async (context) => {
      await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: activityId });
    });
  }

  async replyInThread(thread: ThreadRef, text: string): Promise<void> {
    await this.continue(this.channelReference(thread.serviceUrl, thread.tenantId, thread.botId, thread.threadId), async (context) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  /** Sends a card to a person's 1:1 chat; false when the bot has never seen them. */
  async sendToUser(userId: string, card: object): Promise<boolean> {
    const record = await this.repos.conversations.get(userId);
    if (!record) {
      this.log.warn({ kind: 'sendToUser' }, 'no conversation stored for user');
      return false;
    }
    try {
      await this.continue(record.reference as ConversationReference, async (context) => {
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      });
      return true;
    } catch (e) {
      this.log.warn({ kind: 'sendToUser', err: errorFacts(e) }, 'proactive message failed');
      return false;
    }
  }

  /** The locale stored with a person's 1:1 conversation, for proactive cards in their language. */
  async localeOf(userId: string): Promise<string | undefined> {
    return (await this.repos.conversations.get(userId))?.locale;
  }
}
