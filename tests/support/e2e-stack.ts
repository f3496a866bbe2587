import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { castAs } from '../../src/dev/cast';
import { startAzurite, RunningAzurite } from './azurite';
import { FrameMessage, RunningBot, RunningPlayground, startBot, startPlayground } from './playground';
import { INGRID, readCard, User } from './teams';

/** The Playground cast's review channel; every bot post there starts its own thread. */
export const CHANNEL = '19:leerbudget-beoordeling@thread.tacv2';
export const thread = (messageId: string) => `${CHANNEL};messageid=${messageId}`;

export interface Stack {
  azurite: RunningAzurite;
  bot: RunningBot;
  /** Anouk's client: the checked-in cast. */
  anouk: RunningPlayground;
  /** Ingrid's client: the same cast with the accounthouder as current user. */
  ingrid: RunningPlayground;
  stop(): Promise<void>;
}

/**
 * One bot (Dutch, Ingrid accounthouder, demo round) on in-process Azurite, with two Agents
 * Playground clients: the applicant's and the accounthouder's.
 */
export async function startStack(tablePrefix: string): Promise<Stack> {
  const azurite = await startAzurite();
  const bot = await startBot({ connectionString: azurite.connectionString, tablePrefix, env: { SEED_DEMO: 'true', LOG_LEVEL: 'warn', ACCOUNTHOUDER_IDS: INGRID.aadObjectId, UI_LOCALE: 'nl-NL' } });
  const anouk = await startPlayground({ botEndpoint: bot.messagesUrl });
  const ingrid = await startPlayground({ botEndpoint: bot.messagesUrl, configPath: castAs('.m365agentsplayground.yml', 'ingrid', mkdtempSync(join(tmpdir(), 'cast-'))).path });
  return {
    azurite,
    bot,
    anouk,
    ingrid,
    async stop() {
      await anouk.stop();
      await ingrid.stop();
      await bot.stop();
      await azurite.stop();
    },
  };
}

/** Sends text as the client's current user and returns the bot's answer with the conversation it landed in. */
export async function say(pg: RunningPlayground, conversationId: string, text: string, mention = false): Promise<FrameMessage & { conversationId: string }> {
  const since = pg.stream.mark();
  if (mention) await pg.client.mentionBot(conversationId, text);
  else await pg.client.sendText(conversationId, text);
  const frame = await pg.stream.waitFor((f) => f.action === 'createMessage' && String(f.actionConversationId).startsWith(conversationId), 15_000, since);
  return { ...(frame.message as FrameMessage), conversationId: String(frame.actionConversationId) };
}

/** Presses a button (Action.Execute) on the card in `messageId` as `user`; returns the card that replaces it. */
export async function invoke(pg: RunningPlayground, conversationId: string, messageId: string, user: User, verb: string, data: Record<string, unknown>) {
  const res = await pg.client.invoke(conversationId, messageId, verb, data, user.id);
  expect(res.type).toBe('application/vnd.microsoft.card.adaptive');
  return readCard(res.value);
}
