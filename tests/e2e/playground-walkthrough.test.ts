import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { castAs } from '../../src/dev/cast';
import { STEPS } from '../../src/domain/application';
import { amsterdamDay, amsterdamInstant } from '../../src/domain/round-settings';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { VALID_INPUT } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { CHANNEL, demoScores, invoke, say, thread } from '../support/e2e-stack';
import { FrameMessage, RunningBot, RunningPlayground, startBot, startPlayground, StreamFrame } from '../support/playground';
import { INGRID, MOHAMED, readCard, SANNE } from '../support/teams';

/**
 * The README's demo walk-through as written, person by person, the way `npm run dev` runs it: one
 * bot with the local settings (`env/.env.local`: Dutch, Ingrid accounthouder, the fixed local
 * LINK_SECRET) and one Agents Playground per person, each with its own personal chat and the same
 * team. Nobody restarts to switch person; every person sees only their own page.
 */
const PREFIX = 'E2eWalk';
const YEAR = new Date().getUTCFullYear();
const REFERENCE = `LB-${YEAR}-001`;
const ROUND_NAME = `Wijkgericht leerbudget ${YEAR}`;
const BASE = '.m365agentsplayground.yml';
const castDir = mkdtempSync(join(tmpdir(), 'cast-'));
const configOf = (who: string) => castAs(BASE, who, castDir).path;
const botEnv = { APP_ENV: 'local', LOG_LEVEL: 'warn' };

let azurite: RunningAzurite;
let bot: RunningBot;
const pages: Record<'anouk' | 'ingrid' | 'sanne' | 'mohamed', RunningPlayground> = {} as never;
const chatOf = async (pg: RunningPlayground) => (await pg.client.config()).config.personalChat.id;
const repos = () => tableRepos(tableClients(azurite.connectionString, PREFIX));
const created = (conversationId: string, text?: string) => (f: StreamFrame) =>
  f.action === 'createMessage' &&
  f.actionConversationId === conversationId &&
  (text === undefined || `${f.message.text ?? ''} ${readCard(f.message.attachments?.[0]?.content).text}`.includes(text));
const waitMessage = async (pg: RunningPlayground, conversationId: string, since: number, text?: string) =>
  (await pg.stream.waitFor(created(conversationId, text), 45_000, since)).message as FrameMessage;

beforeAll(async () => {
  azurite = await startAzurite();
  bot = await startBot({ connectionString: azurite.connectionString, tablePrefix: PREFIX, env: botEnv, startTimeoutMs: 60_000 });
  for (const who of ['anouk', 'ingrid', 'sanne', 'mohamed'] as const) {
    pages[who] = await startPlayground({ botEndpoint: bot.messagesUrl, configPath: configOf(who), startTimeoutMs: 60_000 });
  }
}, 240_000);

afterAll(async () => {
  for (const pg of Object.values(pages)) await pg?.stop();
  await bot?.stop();
  await azurite?.stop();
});

describe('the README walk-through, one page per person', () => {
  let reviewOnIngrids = '';
  const copies: Record<'sanne' | 'mohamed', string> = { sanne: '', mohamed: '' };
  let ref: { roundId: string; applicationId: string };
  let clockStart = new Date().toISOString();

  it('every person has their own personal chat', async () => {
    const chats = await Promise.all(Object.values(pages).map(chatOf));
    expect(new Set(chats).size).toBe(4);
    expect(await chatOf(pages.anouk)).toBe('a:leerbudget-personal-anouk');
    expect(await chatOf(pages.ingrid)).toBe('a:leerbudget-personal-ingrid');
  });

  it('1–6: Anouk says hallo, applies, submits LB-…-001, finds it in mijn aanvragen, also after a restart', async () => {
    const { anouk } = pages;
    const chat = await chatOf(anouk);
    const welcome = await say(anouk, chat, 'hallo');
    const text = readCard(welcome.attachments[0]?.content).text;
    expect(text).toContain(ROUND_NAME);
    // Both deadlines with their time: 17:00 in Zwolle.
    expect(text.match(/17:00/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    const press = async (card: unknown, title: string, inputs: Record<string, string> = {}) => {
      const a = readCard(card).action(title);
      return (await anouk.client.invoke(chat, welcome.messageId, a.verb, { ...a.data, ...inputs })).value;
    };
    let card = await press(welcome.attachments[0]?.content, 'Nieuwe aanvraag');
    card = await press(card, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    for (const step of STEPS) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>);
    const submit = readCard(card).action('Indienen');
    ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
    expect(readCard(await press(card, 'Indienen')).text).toContain(REFERENCE);
    expect(readCard(await press(card, 'Indienen')).text).toContain(REFERENCE);
    expect(readCard((await say(anouk, chat, 'mijn aanvragen')).attachments[0]?.content).text).toContain(REFERENCE);

    // 6. Ctrl-C and npm run dev again: the page starts empty, the data is still there.
    await bot.restart();
    const port = anouk.port;
    await anouk.stop();
    pages.anouk = await startPlayground({ botEndpoint: bot.messagesUrl, configPath: configOf('anouk'), port, startTimeoutMs: 60_000 });
    expect(readCard((await say(pages.anouk, chat, 'mijn aanvragen')).attachments[0]?.content).text).toContain(REFERENCE);
    expect(await repos().applications.listByRound(ref.roundId)).toHaveLength(1);
  });

  it('review 1–2: Ingrid links Beoordeling and builds the panel; the card of LB-…-001 appears on her page', async () => {
    const { ingrid } = pages;
    const since = ingrid.stream.mark();
    expect((await say(ingrid, CHANNEL, 'koppel beoordeling', true)).text).toContain('beoordelingskanaal');
    const panel = await say(ingrid, CHANNEL, 'panel', true);
    for (const [u, role, organisation] of [
      [INGRID, 'gemeente', ''],
      [SANNE, 'partner', 'Wijkpartners Zwolle'],
      [MOHAMED, 'ervaringsdeskundige', ''],
    ] as const) {
      expect((await invoke(ingrid, panel.conversationId, panel.messageId, INGRID, 'panel.add', { person: u.aadObjectId, role, organisation })).text).toContain(
        u.name,
      );
    }
    const posted = await waitMessage(ingrid, CHANNEL, since, REFERENCE);
    expect(readCard(posted.attachments[0]?.content).text).toContain(REFERENCE);
    reviewOnIngrids = posted.messageId;

    const chat = await chatOf(ingrid);
    expect(readCard((await say(ingrid, chat, 'ronde')).attachments[0]?.content).text).toContain(`Ronde: ${ref.roundId}`);
    expect(readCard((await say(ingrid, chat, 'uitgangspunten')).attachments[0]?.content).text).toContain('Uitgangspunten');
  });

  it('review 3–4: Sanne and Mohamed each get the card on their own page with kaart and score; Ingrid scores last; the result appears', async () => {
    for (const [who, user] of [
      ['sanne', SANNE],
      ['mohamed', MOHAMED],
    ] as const) {
      const pg = pages[who];
      // Their own chat first (so the bot reaches them on their own page later).
      await say(pg, await chatOf(pg), 'hallo');
      const since = pg.stream.mark();
      // The channel is empty on this page: the card was posted on Ingrid's.
      expect(pg.stream.frames.some(created(CHANNEL))).toBe(false);
      await pg.client.mentionBot(CHANNEL, `kaart ${REFERENCE}`);
      const card = await waitMessage(pg, CHANNEL, since, REFERENCE);
      copies[who] = card.messageId;
      const form = await invoke(pg, thread(card.messageId), card.messageId, user, 'review.refresh', ref);
      expect(form.inputs.filter((i) => String(i.id).startsWith('score_'))).toHaveLength(7);
      const saved = await invoke(pg, thread(card.messageId), card.messageId, user, 'review.score', { ...ref, ...demoScores('4') });
      expect(saved.text).toContain('Je scores zijn opgeslagen');
    }
    const last = await invoke(pages.ingrid, thread(reviewOnIngrids), reviewOnIngrids, INGRID, 'review.score', { ...ref, ...demoScores('4') });
    expect(last.text).toContain('Uitslag');
    expect((await invoke(pages.sanne, thread(copies.sanne), copies.sanne, SANNE, 'review.refresh', ref)).text).toContain('De beoordeling is afgerond');
  });

  it('allocation 5–6: Ingrid shares and marks the proposal, approves; Anouk sees the decision in her own chat, every review thread gets it', async () => {
    const { ingrid, anouk } = pages;
    const chat = await chatOf(ingrid);
    const allocation = await say(ingrid, chat, 'toekenning');
    let card = readCard(allocation.attachments[0]?.content);
    let since = ingrid.stream.mark();
    await ingrid.client.invoke(chat, allocation.messageId, 'alloc.share', card.action('Voorleggen aan panel').data, INGRID.id);
    const proposal = await waitMessage(ingrid, CHANNEL, since, 'wat vindt het panel');
    const agree = readCard(proposal.attachments[0]?.content).action('Eens');
    expect((await invoke(ingrid, thread(proposal.messageId), proposal.messageId, INGRID, 'alloc.mark', agree.data)).text).toContain('Je reactie is opgeslagen');

    card = readCard((await ingrid.client.invoke(chat, allocation.messageId, 'alloc.show', { roundId: ref.roundId }, INGRID.id)).value);
    const anouksChat = await chatOf(anouk);
    const marks = { anouk: anouk.stream.mark(), sanne: pages.sanne.stream.mark(), mohamed: pages.mohamed.stream.mark() };
    since = ingrid.stream.mark();
    const approved = readCard(
      (await ingrid.client.invoke(chat, allocation.messageId, 'alloc.approve', card.action('Toekenning goedkeuren').data, INGRID.id)).value,
    );
    expect(approved.text).toMatch(/Goedgekeurd: €\s12\.500 toegekend/);

    const decision = await waitMessage(anouk, anouksChat, marks.anouk, 'Je aanvraag is toegekend');
    expect(readCard(decision.attachments[0]?.content).text).toMatch(/Toegekend: €\s12\.500/);
    await waitMessage(ingrid, CHANNEL, since, 'Toekenning goedgekeurd');
    expect((await waitMessage(ingrid, thread(reviewOnIngrids), since)).text).toContain('Besluit: toegekend');
    expect((await waitMessage(pages.sanne, thread(copies.sanne), marks.sanne)).text).toContain('Besluit: toegekend');
    expect((await waitMessage(pages.mohamed, thread(copies.mohamed), marks.mohamed)).text).toContain('Besluit: toegekend');
    // Nobody else's chat got Anouk's decision card.
    expect(ingrid.stream.frames.slice(since).some(created(chat, 'Je aanvraag is toegekend'))).toBe(false);

    expect(readCard((await say(anouk, anouksChat, 'resultaten')).attachments[0]?.content).text).toContain(REFERENCE);
    expect(readCard((await say(ingrid, chat, 'overzicht')).attachments[0]?.content).text).toContain(ROUND_NAME);
  });

  it('reports 7–8: verslag verdeling (links survive a restart); the reminder with the clock moved; its button and verslag verdeling report on this round', async () => {
    const { ingrid } = pages;
    const chat = await chatOf(ingrid);
    const report = await say(ingrid, chat, 'verslag verdeling');
    const text = readCard(report.attachments[0]?.content).text;
    expect(text).toContain('Raadsinformatie: verdeling');
    expect(text).toContain(ROUND_NAME);
    const titles = JSON.stringify(report.attachments[0]?.content);
    for (const file of ['Grafiek (PNG)', 'Grafiek (SVG)']) expect(titles).toContain(file);
    const link = JSON.stringify(report.attachments[0]?.content).match(/"url":"(http[^"]+verdeling\.md[^"]*)"/)?.[1];
    expect(link).toBeDefined();
    await bot.restart();
    expect((await fetch(link!.replace('localhost', '127.0.0.1'))).status).toBe(200);

    // 8. CLOCK_START: the day before the allocation report is due, 09:05 in Zwolle.
    const round = (await repos().rounds.list()).find((r) => r.id === ref.roundId)!;
    const due = amsterdamDay(round.councilAllocationReportDue);
    const dayBefore = amsterdamDay(new Date(Date.parse(`${due}T12:00:00Z`) - 86_400_000).toISOString());
    await bot.stop();
    const port = ingrid.port;
    await ingrid.stop();
    const again = await startPlayground({ botEndpoint: bot.messagesUrl, configPath: configOf('ingrid'), port, startTimeoutMs: 60_000 });
    pages.ingrid = again;
    bot = await startBot({
      port: bot.port,
      connectionString: azurite.connectionString,
      tablePrefix: PREFIX,
      env: { ...botEnv, CLOCK_START: (clockStart = amsterdamInstant(dayBefore, '09:05')) },
      startTimeoutMs: 60_000,
    });
    const reminder = await waitMessage(again, chat, 0, 'Herinnering: de raad informeren over de verdeling');
    await waitMessage(again, CHANNEL, 0, 'Herinnering: de raad informeren over de verdeling');
    // No second, empty round was seeded for the moved clock's year.
    expect((await repos().rounds.list()).map((r) => r.id)).toEqual([ref.roundId]);
    const button = readCard(reminder.attachments[0]?.content).action('Verslag over de verdeling maken');
    const fromButton = readCard((await again.client.invoke(chat, reminder.messageId, button.verb, button.data, INGRID.id)).value);
    const typed = readCard((await say(again, chat, 'verslag verdeling')).attachments[0]?.content);
    for (const card of [fromButton, typed]) {
      expect(card.text).toContain(ROUND_NAME);
      expect(card.text).toMatch(/Toegekend: €\s12\.500/);
    }
  });

  it('consultation 9: next year’s draft round, raadpleging started; Sanne finds the invitation on her own page', async () => {
    const { ingrid, sanne } = pages;
    const chat = await chatOf(pages.ingrid);
    const settings = await say(ingrid, chat, 'ronde');
    const next = readCard(settings.attachments[0]?.content).action(`Nieuwe ronde ${YEAR + 1}`);
    const draft = readCard((await ingrid.client.invoke(chat, settings.messageId, next.verb, next.data, INGRID.id)).value);
    expect(draft.text).toContain(`Ronde ${YEAR + 1} is gemaakt als concept`);
    const admin = await say(ingrid, chat, 'raadpleging');
    expect(readCard(admin.attachments[0]?.content).text).toContain(`${YEAR + 1}`);
    const start = readCard(admin.attachments[0]?.content).action('Raadpleging starten');
    const sannes = sanne.stream.mark();
    // Two weeks after the bot's clock (moved in step 8).
    const closes = amsterdamDay(new Date(Date.parse(clockStart) + 14 * 86_400_000).toISOString());
    const started = await invoke(ingrid, chat, admin.messageId, INGRID, start.verb, { ...start.data, closesAt: closes, audience: 'everyone' });
    expect(started.text).toContain('De raadpleging is gestart');
    const invitation = await waitMessage(sanne, await chatOf(sanne), sannes, 'Denk mee');
    expect(readCard(invitation.attachments[0]?.content).action('Denk mee')).toBeDefined();
  });
});
