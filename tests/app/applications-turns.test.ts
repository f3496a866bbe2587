import type { AddressInfo } from 'node:net';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import ExcelJS from 'exceljs';
import * as restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../src/domain/audit';
import { ApplicationsChat, registerApplicationsRoutes } from '../../src/app/applications/routes';
import { sendCard, turnOf } from '../../src/app/core/turn';
import { VERBS } from '../../src/app/core/verbs';
import { botFrameworkAuthConfig, loadConfig } from '../../src/config';
import { registerReportDownloads, reportLinker } from '../../src/http/report-downloads';
import { LINK_TTL_MS } from '../../src/reports/links';
import { createLogger } from '../../src/log';
import { fixedClock, NOW } from '../fixtures';
import { startConnector } from '../support/connector';
import { PANEL_IDS, PANEL_NAMES, reportRound } from '../support/report-round';
import { ACCOUNTHOUDER } from '../support/rounds';
import { cardAction, personalMessage, readCard, User } from '../support/teams';

const BOSS: User = { id: '29:boss', aadObjectId: ACCOUNTHOUDER, name: 'Accounthouder' };
const OTHER: User = { id: '29:other', aadObjectId: '00000000-0000-4000-8000-0000000000ff', name: 'Iemand' };

let server: restify.Server;
let url = '';
let connector: Awaited<ReturnType<typeof startConnector>>;
let chat: ApplicationsChat;
const clock = fixedClock();

/** The applications routes in a teams-ai Application on the real CloudAdapter, and the download route on the same server. */
beforeAll(async () => {
  const fixture = await reportRound();
  // A panel member declares a conflict on an application still in the list: the workbook counts it, the named one names her.
  const deps = { repos: fixture.repos, clock, accounthouders: [ACCOUNTHOUDER] };
  const review = (await fixture.repos.reviews.bundle('LB-2026', fixture.ids[0]!)).review!;
  const added = await fixture.repos.reviews.addRecusal(
    'LB-2026',
    fixture.ids[0]!,
    { memberId: PANEL_IDS[0]!, reason: 'declared', note: 'Mijn zus werkt daar', at: NOW.toISOString() },
    auditEvent('LB-2026', PANEL_IDS[0]!, 'review.recused', fixture.ids[0]!, NOW),
    review,
  );
  if (!added.ok) throw new Error('recusal');
  const log = createLogger('silent');
  connector = await startConnector();
  const adapter = new TeamsAdapter(botFrameworkAuthConfig(loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })));
  const app = new Application<TurnState>({ adapter, botAppId: '', removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  const links = reportLinker({ publicUrl: 'http://placeholder', linkSecret: 'turn-test' });
  chat = registerApplicationsRoutes(app, deps, log, links);
  app.activity('message', async (context) => {
    const card = await chat.cardForText(turnOf(context), context.activity.text ?? '');
    if (card) await sendCard(context, card);
  });
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });
  registerReportDownloads(server, deps, links);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await connector?.stop();
});

async function invoke(user: User, verb: string, data: Record<string, unknown>, locale = 'nl-NL') {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(cardAction(connector.url, user, verb, data, locale)),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: Record<string, unknown> }).value;
}

async function say(user: User, text: string, locale = 'nl-NL') {
  connector.clear();
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(personalMessage(connector.url, user, text, locale)),
  });
  expect(res.status).toBeLessThan(300);
  return connector.posted.map((p) => p.activity.attachments?.[0]?.content as Record<string, unknown>);
}

const references = (card: unknown) => readCard(card).texts.flatMap((t) => /^(LB-2026-\d{3}) ·/.exec(t)?.[1] ?? []);
const openUrls = (card: unknown) =>
  JSON.stringify(card)
    .match(/"url":"([^"]+)"/g)
    ?.map((m) => m.slice(7, -1)) ?? [];

describe('aanvragen: every application of the round for the accounthouder', () => {
  it('"aanvragen" lists every application with status, amounts, review progress and score', async () => {
    const [card] = await say(BOSS, 'aanvragen');
    const r = readCard(card);
    expect(r.text).toContain('Alle aanvragen');
    expect(r.text).toContain('7 van de 7 aanvragen · pagina 1 van 1');
    expect(references(card)).toEqual(['LB-2026-001', 'LB-2026-002', 'LB-2026-003', 'LB-2026-004', 'LB-2026-005', 'LB-2026-006', 'LB-2026-007']);
    expect(r.text).toMatch(/Resultaten gemeld · gevraagd €\s15\.000 · toegekend €\s15\.000/);
    expect(r.text).toMatch(/Beoordeling afgerond \(1 van 1\) · score 100%/);
    expect(r.text).toContain('onder het minimum');
    expect(r.text).toContain('Ingetrokken');
    expect(JSON.stringify(card).length * 2).toBeLessThanOrEqual(81_920);
  });

  it('filters by status, wijk and part of the organisation name; a wijk the round does not have is ignored', async () => {
    const filter = async (data: Record<string, unknown>) => references(await invoke(BOSS, VERBS.applications.list, { roundId: 'LB-2026', page: 1, ...data }));
    expect(await filter({ status: 'declined' })).toEqual(['LB-2026-006']);
    expect(await filter({ wijk: 'Holtenbroek' })).toEqual(['LB-2026-001', 'LB-2026-003']);
    expect(await filter({ organisation: 'buurtkracht' })).toEqual(['LB-2026-001', 'LB-2026-003']);
    expect(await filter({ status: 'declined', organisation: 'wijkcentrum' })).toEqual(['LB-2026-006']);
    expect(await filter({ status: 'declined', wijk: 'Holtenbroek' })).toEqual([]);
    expect(await filter({ wijk: 'Nergenshuizen' })).toHaveLength(7);
    // The card keeps the filter it was drawn with.
    const card = await invoke(BOSS, VERBS.applications.list, { roundId: 'LB-2026', page: 1, status: 'declined' });
    expect(readCard(card).input('status')!.value).toBe('declined');
  });

  it('a tampered payload gets the bad-card notice; identity claims in the data change nothing', async () => {
    expect(readCard(await invoke(BOSS, VERBS.applications.list, { roundId: 'LB-2026', status: 'everything' })).text).not.toContain('Alle aanvragen');
    const claimed = await invoke(OTHER, VERBS.applications.list, { roundId: 'LB-2026', page: 1, actorId: ACCOUNTHOUDER, userId: ACCOUNTHOUDER });
    expect(readCard(claimed).text).toContain('Alleen voor de accounthouder');
    expect(references(claimed)).toEqual([]);
  });

  it('anyone else: "alle aanvragen" is refused, "aanvragen" is left to their own list', async () => {
    expect(readCard((await say(OTHER, 'alle aanvragen'))[0]).text).toContain('Alleen voor de accounthouder');
    expect(await say(OTHER, 'aanvragen')).toEqual([]);
  });
});

describe('export: the overview workbook by a signed link', () => {
  const local = (u: string) => u.replace('http://placeholder', url);
  async function workbookText(u: string) {
    const res = await fetch(local(u));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
    return wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String)).join('\n');
  }

  it('"export" gives a link to the workbook with counts; "Met namen" gives the named one', async () => {
    clock.set(NOW);
    const [card] = await say(BOSS, 'export');
    const [link] = openUrls(card);
    expect(link).toMatch(/^http:\/\/placeholder\/api\/reports\/LB-2026\/overzicht\.xlsx\?exp=\d+&sig=[\w-]{43}$/);
    const plain = await workbookText(link!);
    expect(plain).toContain('LB-2026-001');
    for (const name of PANEL_NAMES) expect(plain).not.toContain(name);

    const named = await invoke(BOSS, readCard(card).action('Met namen van panelleden').verb, readCard(card).action('Met namen van panelleden').data);
    const [namedLink] = openUrls(named);
    expect(namedLink).toContain('/overzicht-namen.xlsx?');
    expect(await workbookText(namedLink!)).toContain(PANEL_NAMES[0]);
  });

  it('the overview card button and the Action.Execute give the same link', async () => {
    const card = await invoke(BOSS, VERBS.applications.export, { roundId: 'LB-2026' });
    expect(openUrls(card)[0]).toContain('/api/reports/LB-2026/overzicht.xlsx?');
  });

  it('only the accounthouder gets a link; an altered or expired link is refused before anything is read', async () => {
    for (const data of [{ roundId: 'LB-2026' }, { roundId: 'LB-2026', named: 'true' }]) {
      const card = await invoke(OTHER, VERBS.applications.export, data);
      expect(readCard(card).text).toContain('Alleen voor de accounthouder');
      expect(JSON.stringify(card)).not.toContain('/api/reports/');
    }
    expect(readCard((await say(OTHER, 'export met namen'))[0]).text).toContain('Alleen voor de accounthouder');

    clock.set(NOW);
    const [link] = openUrls(await invoke(BOSS, VERBS.applications.export, { roundId: 'LB-2026' }));
    // The counts link's signature does not open the named file.
    expect((await fetch(local(link!.replace('/overzicht.xlsx?', '/overzicht-namen.xlsx?')))).status).toBe(403);
    expect((await fetch(local(link!.replace(/sig=[\w-]{5}/, 'sig=AAAAA')))).status).toBe(403);
    clock.advance(LINK_TTL_MS + 1000);
    expect((await fetch(local(link!))).status).toBe(403);
    clock.set(NOW);
    expect((await fetch(local(link!))).status).toBe(200);
  });
});
