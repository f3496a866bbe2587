import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, MessageFactory } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app/core/bot';
import { cardInvokeResponse } from '../../src/app/core/other-invokes';
import { activityBytes, Card, MESSAGE_LIMIT_BYTES } from '../../src/cards/render';
import { loadConfig } from '../../src/config';
import { createServer } from '../../src/http/server';
import { createLogger } from '../../src/log';
import { memoryRepos } from '../../src/store/memory-repos';
import { fixedClock } from '../fixtures';
import { startConnector } from '../support/connector';
import { ANOUK, cardAction, personalMessage, readCard, TENANT } from '../support/teams';

/**
 * Teams' size limit where activities leave the bot: the adapter createBot makes, with every
 * middleware it installs, and a probe app standing for a future route whose card is too large.
 * Storage plays no part here (the in-memory twins).
 */
const cardWith = (text: string): Card => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text, wrap: true }] });
/** What Teams receives for an invoke answered with a card of `n` ASCII characters of text, in UTF-16 bytes. */
const invokeBytes = (n: number) => activityBytes(cardInvokeResponse(cardWith('x'.repeat(n))).body);
const base = invokeBytes(0);
/** Fills the invoke response to exactly the limit. */
const FIT = (MESSAGE_LIMIT_BYTES - base) / 2;

let lines: string[] = [];
let connector: Awaited<ReturnType<typeof startConnector>>;
let url = '';
let bot: ReturnType<typeof createBot>;
let server: ReturnType<typeof createServer>;

beforeAll(async () => {
  connector = await startConnector();
  const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  bot = createBot(loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' }), { repos: memoryRepos(), clock: fixedClock() }, log);
  const probe = new Application<TurnState>({ adapter: bot.adapter, botAppId: '', startTypingTimer: false, longRunningMessages: false });
  probe.adaptiveCards.actionExecute('probe.card', async (_context, _state, data: { n: number; fill?: string }) => cardWith((data.fill ?? 'x').repeat(data.n)));
  probe.message('huge card', async (context) => {
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(cardWith('x'.repeat(45_000)))));
  });
  probe.message('huge text', async (context) => {
    await context.sendActivity(MessageFactory.text('“'.repeat(41_000)));
  });
  server = createServer({ ...bot, app: probe }, async () => true, log);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
});
afterAll(async () => {
  server?.close();
  await connector?.stop();
});

async function send(activity: object) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const tooBig = () => lines.map((l) => JSON.parse(l)).filter((l) => l.code === 'MESSAGE_TOO_BIG');

describe("Teams' message size limit, where activities leave the bot", () => {
  it('an invoke answer of exactly 80 KB in UTF-16 goes out as it is', async () => {
    lines = [];
    const res = await send(cardAction(connector.url, ANOUK, 'probe.card', { n: FIT }));
    expect(res.status).toBe(200);
    expect(activityBytes(res.body)).toBe(MESSAGE_LIMIT_BYTES);
    expect(readCard(res.body.value).text).toBe('x'.repeat(FIT));
    expect(tooBig()).toEqual([]);
  });

  it('one character more, and the person gets a notice instead, with a log line that names the kind and the size only', async () => {
    lines = [];
    const res = await send(cardAction(connector.url, ANOUK, 'probe.card', { n: FIT + 1 }));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    const card = readCard(res.body.value);
    expect(card.text).toContain('Dit bericht is te groot');
    expect(card.text).not.toContain('xxxx');
    expect(card.actions.length).toBeGreaterThan(0);
    const [line, ...more] = tooBig();
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 50, kind: 'invokeResponse', bytes: MESSAGE_LIMIT_BYTES + 2, limit: MESSAGE_LIMIT_BYTES });
    // A verb no route knows (this probe's) is not repeated in the log: card data is not ours to log.
    expect(line).not.toHaveProperty('verb');
    const all = lines.join('\n');
    for (const personal of [ANOUK.aadObjectId, ANOUK.name, ANOUK.id]) expect(all).not.toContain(personal);
  });

  it('counts UTF-16: a card of 45,000 ASCII characters (45 KB in UTF-8) is refused, in English for an English client', async () => {
    lines = [];
    const res = await send(cardAction(connector.url, ANOUK, 'probe.card', { n: 45_000 }, 'en-GB'));
    expect(readCard(res.body.value).text).toContain('This message is too large');
    expect(tooBig()).toHaveLength(1);
  });

  it('a reply in the chat, card or text, is replaced by the notice card before it reaches Teams', async () => {
    for (const text of ['huge card', 'huge text']) {
      lines = [];
      connector.clear();
      await send(personalMessage(connector.url, ANOUK, text));
      expect(connector.posted).toHaveLength(1);
      const sent = connector.posted[0]!.activity;
      expect(activityBytes(sent)).toBeLessThan(4_000);
      expect(sent.text ?? '').toBe('');
      expect(readCard(sent.attachments[0].content).text).toContain('Dit bericht is te groot');
      expect(tooBig()).toMatchObject([{ kind: 'reply message' }]);
    }
  });

  it('a proactive post and a card update (the Notifier) are guarded the same way', async () => {
    lines = [];
    connector.clear();
    const channel = {
      teamId: 't',
      channelId: '19:chan@thread.tacv2',
      serviceUrl: connector.url,
      tenantId: TENANT,
      botId: '28:bot',
      linkedBy: 'x',
      linkedAt: '',
    };
    const huge = cardWith('😀'.repeat(21_000));
    const { threadId, activityId } = await bot.notifier.postToChannel(channel, huge);
    await bot.notifier.updateCard({ serviceUrl: connector.url, tenantId: TENANT, botId: '28:bot', threadId }, activityId, huge);
    expect(connector.posted.map((p) => p.method)).toEqual(['POST', 'PUT']);
    for (const p of connector.posted) {
      expect(activityBytes(p.activity)).toBeLessThan(4_000);
      expect(readCard(p.activity.attachments[0].content).text).toContain('Dit bericht is te groot');
    }
    expect(connector.posted[1]!.activity.id).toBe(activityId);
    expect(tooBig()).toMatchObject([{ kind: 'proactive message' }, { kind: 'proactive update' }]);
  });
});
