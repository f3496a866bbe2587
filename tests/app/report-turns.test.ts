import type { AddressInfo } from 'node:net';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import * as restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReportRoutes, ReportChat } from '../../src/app/reports/routes';
import { sendCard, turnOf } from '../../src/app/core/turn';
import { botFrameworkAuthConfig, loadConfig } from '../../src/config';
import { registerReportDownloads, reportLinker } from '../../src/http/report-downloads';
import { createLogger } from '../../src/log';
import { fixedClock } from '../fixtures';
import { startConnector } from '../support/connector';
import { reportRound } from '../support/report-round';
import { ACCOUNTHOUDER } from '../support/rounds';
import { cardAction, personalMessage, readCard, User } from '../support/teams';
import { VERBS } from '../../src/app/core/verbs';

const BOSS: User = { id: '29:boss', aadObjectId: ACCOUNTHOUDER, name: 'Accounthouder' };
const OTHER: User = { id: '29:other', aadObjectId: '00000000-0000-4000-8000-0000000000ff', name: 'Iemand' };

let server: restify.Server;
let url = '';
let connector: Awaited<ReturnType<typeof startConnector>>;
let chat: ReportChat;

/**
 * The report routes in a teams-ai Application on the real CloudAdapter, the way bot.ts registers
 * the other areas, and the download route on the same restify server.
 */
beforeAll(async () => {
  const fixture = await reportRound();
  const deps = { repos: fixture.repos, clock: fixedClock(), accounthouders: [ACCOUNTHOUDER] };
  const log = createLogger('silent');
  connector = await startConnector();
  const adapter = new TeamsAdapter(botFrameworkAuthConfig(loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })));
  const app = new Application<TurnState>({ adapter, botAppId: '', removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  const links = reportLinker({ publicUrl: 'http://placeholder', linkSecret: 'turn-test' });
  chat = registerReportRoutes(app, deps, log, links);
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
  const body = (await res.json()) as { type: string; value: unknown };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
}

async function say(user: User, text: string, locale = 'nl-NL') {
  connector.clear();
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(personalMessage(connector.url, user, text, locale)),
  });
  expect(res.status).toBeLessThan(300);
  return connector.posted.map((p) => p.activity.attachments?.[0]?.content);
}

describe('council report routes', () => {
  it('"verslag verdeling" gives the accounthouder the allocation card, whose download links work', async () => {
    const [card] = await say(BOSS, 'Verslag verdeling');
    const r = readCard(card);
    expect(r.text).toContain('Raadsinformatie: verdeling');
    expect(r.text).toMatch(/Toegekend: €\s49\.000/);
    // The downloads are one a row in the body (each an ActionSet with one Action.OpenUrl).
    const md = /"title":"Verslag \(Markdown\)","url":"([^"]+)"/.exec(JSON.stringify(card))![1]!;
    const res = await fetch(md.replace('http://placeholder', url));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# Raadsinformatie: verdeling wijkgericht leerbudget 2026');
  });

  it('"results report" in English, "verslag resultaten 2026" with a year', async () => {
    expect(readCard((await say(BOSS, 'results report', 'en-GB'))[0]).text).toContain('Council report: effect and results');
    expect(readCard((await say(BOSS, 'verslag resultaten 2026'))[0]).text).toContain('Verslag ingediend: 2');
  });

  it('Action.Execute report.allocation / report.results with a roundId; the buttons switch between them', async () => {
    const alloc = await invoke(BOSS, VERBS.reports.allocation, { roundId: 'LB-2026' });
    const toResults = readCard(alloc).action('Verslag resultaten');
    const results = await invoke(BOSS, toResults.verb, toResults.data);
    expect(readCard(results).text).toContain('Raadsinformatie: effect en resultaten');
  });

  it('anyone else gets a polite refusal, whatever the card data says; no links', async () => {
    for (const verb of Object.values(VERBS.reports)) {
      const card = await invoke(OTHER, verb, { roundId: 'LB-2026' });
      expect(readCard(card).text).toContain('Alleen voor de accounthouder');
      expect(JSON.stringify(card)).not.toContain('/api/reports/');
    }
    expect(readCard((await say(OTHER, 'verslag verdeling'))[0]).text).toContain('kan alleen de Wmo-accounthouder');
  });

  it('a malformed payload gets the bad-card notice; other text is not a report command', async () => {
    expect(readCard(await invoke(BOSS, VERBS.reports.allocation, { roundId: '../x' })).text).toMatch(/\S/);
    expect(await say(BOSS, 'verslag')).toEqual([]);
    expect(await say(BOSS, 'hallo')).toEqual([]);
  });

  it('an unknown year gets "no round", not an error', async () => {
    expect(readCard((await say(BOSS, 'verslag verdeling 2031'))[0]).text).toContain('Nog geen ronde');
  });
});
