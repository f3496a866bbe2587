import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { castAs } from '../../src/dev/cast';
import { startAzurite, RunningAzurite } from './azurite';
import { FrameMessage, RunningBot, RunningPlayground, startBot, startPlayground } from './playground';
import { INGRID, MOHAMED, readCard, SANNE, User } from './teams';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';

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
  const bot = await startBot({
    connectionString: azurite.connectionString,
    tablePrefix,
    env: { SEED_DEMO: 'true', LOG_LEVEL: 'warn', ACCOUNTHOUDER_IDS: INGRID.aadObjectId, UI_LOCALE: 'nl-NL' },
  });
  const anouk = await startPlayground({ botEndpoint: bot.messagesUrl });
  const ingrid = await startPlayground({
    botEndpoint: bot.messagesUrl,
    configPath: castAs('.m365agentsplayground.yml', 'ingrid', mkdtempSync(join(tmpdir(), 'cast-'))).path,
  });
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

/** Ingrid links the team channel as review channel and puts Ingrid (gemeente), Sanne (partner) and Mohamed (ervaringsdeskundige) on the panel. */
export async function linkAndBuildPanel({ ingrid }: Stack): Promise<void> {
  expect((await say(ingrid, CHANNEL, 'koppel beoordeling', true)).text).toContain('beoordelingskanaal');
  const panel = await say(ingrid, CHANNEL, 'panel', true);
  for (const [u, role, organisation] of [
    [INGRID, 'gemeente', ''],
    [SANNE, 'partner', 'Wijkpartners Zwolle'],
    [MOHAMED, 'ervaringsdeskundige', ''],
  ] as const) {
    await invoke(ingrid, panel.conversationId, panel.messageId, INGRID, 'panel.add', { person: u.aadObjectId, role, organisation });
  }
}

/** Anouk applies in her chat with the fixture's answers; returns the application and its review card in the channel. */
export async function anoukApplies({ anouk, ingrid }: Stack): Promise<{ ref: { roundId: string; applicationId: string }; reviewMessage: string }> {
  const chat = (await anouk.client.config()).config.personalChat.id;
  const welcome = await say(anouk, chat, 'hallo');
  const press = async (card: unknown, title: string, inputs: Record<string, string> = {}) => {
    const a = readCard(card).action(title);
    return (await anouk.client.invoke(chat, welcome.messageId, a.verb, { ...a.data, ...inputs })).value;
  };
  let card = await press(welcome.attachments[0]?.content, 'Nieuwe aanvraag');
  card = await press(card, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
  for (const step of STEPS) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>);
  const submit = readCard(card).action('Indienen');
  const ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
  const since = ingrid.stream.mark();
  await press(card, 'Indienen');
  const posted = await ingrid.stream.waitFor(
    (f) => f.action === 'createMessage' && f.actionConversationId === CHANNEL && Boolean(f.message?.attachments?.length),
    15_000,
    since,
  );
  return { ref, reviewMessage: (posted.message as FrameMessage).messageId };
}

/** Every criterion of the demo round scored `value` (a number or 'na'). */
export const demoScores = (value: string) =>
  Object.fromEntries(
    ['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'].map((id) => [`score_${id}`, value]),
  );
