import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { FrameMessage, RunningBot, RunningPlayground, startBot, startPlayground } from '../support/playground';
import { INGRID, MOHAMED, readCard, SANNE, User } from '../support/teams';

/**
 * The review in the Playground's team channel: the accounthouder links the channel and builds the
 * panel, a partner submits in the personal chat, the card appears in the channel, three members
 * score it through the Playground's invoke endpoint, and the result appears after quorum.
 * UI_LOCALE=nl-NL as in `npm run dev` (the Playground itself always says en-US).
 */
const CHANNEL = '19:leerbudget-beoordeling@thread.tacv2';
let azurite: RunningAzurite;
let bot: RunningBot;
let playground: RunningPlayground;
let cfg: Awaited<ReturnType<RunningPlayground['client']['config']>>['config'];

beforeAll(async () => {
  azurite = await startAzurite();
  bot = await startBot({
    connectionString: azurite.connectionString,
    tablePrefix: 'E2eReview',
    env: { SEED_DEMO: 'true', LOG_LEVEL: 'warn', ACCOUNTHOUDER_IDS: INGRID.aadObjectId, UI_LOCALE: 'nl-NL' },
  });
  playground = await startPlayground({ botEndpoint: bot.messagesUrl });
  cfg = (await playground.client.config()).config;
}, 90_000);

afterAll(async () => {
  await playground?.stop();
  await bot?.stop();
  await azurite?.stop();
});

/** A channel message from any cast member that @mentions the bot, as Teams delivers it. */
async function inChannel(user: User, text: string): Promise<FrameMessage & { threadId: string }> {
  const since = playground.stream.mark();
  const tag = `<at>${cfg.bot.name}</at>`;
  const template = await playground.client.customActivityTemplate(CHANNEL);
  await playground.client.customActivity({
    ...template,
    id: randomUUID(),
    type: 'message',
    text: `${tag} ${text}`,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    entities: [{ type: 'mention', text: tag, mentioned: { id: cfg.bot.id, name: cfg.bot.name } }],
    channelData: { tenant: { id: cfg.tenantId }, team: { id: cfg.teams[0]!.id }, channel: { id: CHANNEL } },
  });
  const frame = await playground.stream.waitFor((f) => f.action === 'createMessage' && String(f.actionConversationId).startsWith(CHANNEL), 15_000, since);
  const message = frame.message as FrameMessage;
  // Every bot post in a Playground channel starts its own thread.
  return { ...message, threadId: `${CHANNEL};messageid=${message.messageId}` };
}

/** Presses a button on the card in message `messageId` of a channel thread, as `user`. */
async function invoke(user: User, conversationId: string, messageId: string, verb: string, data: Record<string, unknown>) {
  const res = await playground.client.invoke(conversationId, messageId, verb, data, user.id);
  expect(res.type).toBe('application/vnd.microsoft.card.adaptive');
  return readCard(res.value);
}

describe('the panel reviews in the Playground channel', () => {
  let reviewMessage = '';
  let reviewThread = '';
  let applicationRef: { roundId: string; applicationId: string };

  it('the accounthouder links the channel and builds the panel; others are refused', async () => {
    const refused = await inChannel(SANNE, 'koppel beoordeling');
    expect(refused.text).toContain('alleen een accounthouder');
    const linked = await inChannel(INGRID, 'koppel beoordeling');
    expect(linked.text).toContain('beoordelingskanaal');

    const panel = await inChannel(INGRID, 'panel');
    const card = panel.attachments[0]?.content;
    expect(readCard(card).input('person')).toBeDefined();
    for (const [user, role, organisation] of [
      [INGRID, 'gemeente', ''],
      [SANNE, 'partner', 'Wijkpartners Zwolle'],
      [MOHAMED, 'ervaringsdeskundige', ''],
    ] as const) {
      const after = await invoke(INGRID, panel.threadId, panel.messageId, 'panel.add', { person: user.aadObjectId, role, organisation });
      expect(after.text).toContain(user.name);
    }
  });

  it('a submitted application appears in the channel', async () => {
    const chat = cfg.personalChat.id;
    let since = playground.stream.mark();
    await playground.client.sendText(chat, 'hallo');
    const welcome = await playground.stream.nextMessage(chat, since);
    const press = async (card: unknown, title: string, inputs: Record<string, string> = {}) => {
      const a = readCard(card).action(title);
      return (await playground.client.invoke(chat, welcome.messageId, a.verb, { ...a.data, ...inputs })).value;
    };
    let card = await press(welcome.attachments[0]?.content, 'Nieuwe aanvraag');
    card = await press(card, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    for (const step of STEPS) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>);
    since = playground.stream.mark();
    const submit = readCard(card).action('Indienen');
    applicationRef = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
    await press(card, 'Indienen');

    const frame = await playground.stream.waitFor(
      (f) => f.action === 'createMessage' && f.actionConversationId === CHANNEL && Boolean(f.message?.attachments?.length),
      15_000,
      since,
    );
    const posted = frame.message as FrameMessage;
    reviewMessage = posted.messageId;
    reviewThread = `${CHANNEL};messageid=${posted.messageId}`;
    const shared = readCard(posted.attachments[0]?.content);
    expect(shared.text).toContain('Samen sterk in Holtenbroek');
    expect(shared.text).toContain('0 van 3 beoordeeld');
    expect(shared.inputs).toEqual([]);
  });

  it('three members score independently; the result appears after quorum', async () => {
    const scores = (values: number[]) => ({
      ...applicationRef,
      ...Object.fromEntries(
        ['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'].map((id, i) => [
          `score_${id}`,
          String(values[i % values.length]),
        ]),
      ),
    });
    const form = await invoke(SANNE, reviewThread, reviewMessage, 'review.refresh', applicationRef);
    expect(form.inputs.filter((i) => String(i.id).startsWith('score_'))).toHaveLength(7);
    expect(form.text).not.toContain('Scores van de andere panelleden');

    const sanne = await invoke(SANNE, reviewThread, reviewMessage, 'review.score', scores([4, 5]));
    expect(sanne.text).toContain('Je scores zijn opgeslagen');
    expect(sanne.text).toContain('Nog niemand anders heeft gescoord');
    expect(sanne.text).toContain('De uitslag verschijnt als 3 panelleden hebben gescoord');

    await invoke(MOHAMED, reviewThread, reviewMessage, 'review.score', scores([4]));
    const last = await invoke(INGRID, reviewThread, reviewMessage, 'review.score', scores([3, 4]));
    expect(last.text).toContain('Uitslag');
    expect(last.text).toMatch(/Totaal: \d(,\d)? \(7\d%\)/);
    // The others' scores are on a card of their own, one button away.
    expect(last.text).not.toContain('Sanne de Vries (Partner)');
    const others = last.action('Bekijk hun scores');
    expect((await invoke(INGRID, reviewThread, reviewMessage, others.verb, others.data)).text).toContain('Sanne de Vries (Partner)');

    const again = await invoke(SANNE, reviewThread, reviewMessage, 'review.refresh', applicationRef);
    expect(again.text).toContain('De beoordeling is afgerond');
    expect(again.text).toContain('3 van 3 beoordeeld');
  });
});
