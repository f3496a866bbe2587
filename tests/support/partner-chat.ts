import { expect } from 'vitest';
import { startAzurite, RunningAzurite } from './azurite';
import { RunningBot, RunningPlayground, startBot, startPlayground } from './playground';
import { readCard } from './teams';

/**
 * One partner's 1:1 chat in the Agents Playground: in-process Azurite, the bot as its own process
 * with the demo round, one Playground. The Playground always sends en-US, so the bot answers in
 * English.
 */
export interface PartnerChat {
  azurite: RunningAzurite;
  bot: RunningBot;
  playground: RunningPlayground;
  chat: string;
  /** Sends text; the bot's answer (its message id and first card). */
  say(text: string): Promise<{ id: string; card: unknown }>;
  /** Presses a button of the card shown in message `messageId`; the answer replaces that card. */
  press(messageId: string, card: unknown, title: string, inputs?: Record<string, string>): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startPartnerChat(tablePrefix: string, env: Record<string, string> = {}): Promise<PartnerChat> {
  const azurite = await startAzurite();
  const bot = await startBot({ connectionString: azurite.connectionString, tablePrefix, env: { SEED_DEMO: 'true', LOG_LEVEL: 'warn', ...env } });
  const playground = await startPlayground({ botEndpoint: bot.messagesUrl });
  const chat = (await playground.client.config()).config.personalChat.id;
  return {
    azurite,
    bot,
    playground,
    chat,
    async say(text) {
      const since = playground.stream.mark();
      await playground.client.sendText(chat, text);
      const message = await playground.stream.nextMessage(chat, since);
      return { id: message.messageId, card: message.attachments[0]?.content };
    },
    async press(messageId, card, title, inputs = {}) {
      const action = readCard(card).action(title);
      const res = await playground.client.invoke(chat, messageId, action.verb, { ...(action.data ?? {}), ...inputs });
      expect(res.type).toBe('application/vnd.microsoft.card.adaptive');
      return res.value;
    },
    async stop() {
      await playground.stop();
      await bot.stop();
      await azurite.stop();
    },
  };
}
