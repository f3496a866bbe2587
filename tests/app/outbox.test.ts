import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app/core/bot';
import { OutboxDispatcher, OutboxDispatcherOptions } from '../../src/app/proactive/outbox-dispatcher';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { Clock, systemClock } from '../../src/clock';
import { OutboxEntry, OutboxTarget } from '../../src/domain/outbox';
import { memoryRepos } from '../../src/store/memory-repos';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { fixedClock, NOW } from '../fixtures';
import { RunningAzurite, startAzurite } from '../support/azurite';
import { startConnector } from '../support/connector';
import { until } from '../support/until';

let azurite: RunningAzurite;
let connector: Awaited<ReturnType<typeof startConnector>>;
let prefix = 0;
const log = createLogger('silent');

beforeAll(async () => {
  [azurite, connector] = await Promise.all([startAzurite(), startConnector()]);
});
afterAll(async () => {
  await connector?.stop();
  await azurite?.stop();
});
beforeEach(() => {
  connector.clear();
  connector.fail(undefined);
});

const ROUND = 'round-2026';
const TENANT = 'tenant-1';
const BOT = '28:leerbudget';
const CHANNEL = '19:beoordeling@thread.tacv2';
const user = (i: number) => `00000000-0000-4000-8000-0000000002${String(i).padStart(2, '0')}`;
const toUser = (i: number): OutboxTarget => ({ type: 'user', userId: user(i) });
const toThread = (i: number): OutboxTarget => ({
  type: 'thread',
  serviceUrl: connector.url,
  tenantId: TENANT,
  botId: BOT,
  threadId: `${CHANNEL};messageid=${1000 + i}`,
});
const toChannel = (): OutboxTarget => ({ type: 'channel', serviceUrl: connector.url, tenantId: TENANT, botId: BOT, channelId: CHANNEL });

function entry(id: string, target: OutboxTarget, at: Date = NOW): OutboxEntry {
  return {
    id,
    roundId: ROUND,
    kind: 'decision.applicant',
    target,
    // The entry's id in the card and the text, so the connector's log says which entry arrived.
    card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: `Besluit ${id}` }] },
    text: id,
    state: 'pending',
    attempts: 0,
    notBefore: at.toISOString(),
    createdAt: at.toISOString(),
  };
}

/**
 * One bot process: table repositories on Azurite, the real CloudAdapter and Notifier, the
 * recording connector as Teams. `instance` opens the same tables again, as a second process would.
 */
async function processOn(tablePrefix: string, clock: Clock) {
  const clients = tableClients(azurite.connectionString, tablePrefix);
  await ensureTables(clients);
  const repos = tableRepos(clients);
  const deps = { repos, clock };
  const config = loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: tablePrefix, LOG_LEVEL: 'silent' });
  const bot = createBot(config, deps, log);
  return {
    repos,
    bot,
    dispatcher: (options: OutboxDispatcherOptions = {}) => new OutboxDispatcher(deps, bot.notifier, log, { random: () => 0.25, ...options }),
  };
}

async function world(clock: Clock = fixedClock()) {
  const tablePrefix = `O${process.pid}x${++prefix}`;
  const first = await processOn(tablePrefix, clock);
  // The 1:1 conversations the bot stored when it first met these people.
  for (let i = 0; i < 10; i++) {
    await first.repos.conversations.save({
      userId: user(i),
      conversationId: `a:personal-${i}`,
      reference: {
        channelId: 'msteams',
        serviceUrl: connector.url,
        bot: { id: BOT, name: 'Leerbudget' },
        user: { id: `29:u${i}`, aadObjectId: user(i) },
        conversation: { id: `a:personal-${i}`, conversationType: 'personal', tenantId: TENANT },
      },
      updatedAt: NOW.toISOString(),
    });
  }
  return { ...first, restart: () => processOn(tablePrefix, clock) };
}

const byId = async (repos: { outbox: { list(r: string): Promise<OutboxEntry[]> } }) => new Map((await repos.outbox.list(ROUND)).map((e) => [e.id, e]));
/** What arrived in Teams, by entry id (each entry's text is its id). */
const arrived = () => connector.posted.map((p) => String(p.activity.text));
const sorted = (xs: string[]) => [...xs].sort();

describe('outbox dispatcher through the real adapter and Notifier (Azurite)', () => {
  it('sends to a 1:1 chat, a thread and a channel, once each, and marks them sent', async () => {
    const clock = fixedClock();
    const w = await world(clock);
    await w.repos.outbox.enqueue([entry('e1', toUser(1)), entry('e2', toThread(1)), entry('e3', toChannel())]);

    expect(await w.dispatcher().drain()).toEqual({ sent: 3, retried: 0, failed: 0 });

    expect(sorted(connector.posted.map((p) => p.conversationId))).toEqual(sorted(['a:personal-1', `${CHANNEL};messageid=1001`, CHANNEL]));
    expect(connector.posted[0]?.activity.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(connector.requests).toHaveLength(3);
    const stored = await byId(w.repos);
    for (const id of ['e1', 'e2', 'e3']) expect(stored.get(id)).toMatchObject({ state: 'sent', attempts: 0, sentAt: NOW.toISOString() });
    // Each delivery is in the audit, written with its 'sent' state: a person by id, a thread or channel by the message.
    const delivered = (await w.repos.audit.list(ROUND)).filter((a) => a.action === 'outbox.delivered');
    expect(sorted(delivered.map((a) => String(a.details?.outboxId)))).toEqual(['e1', 'e2', 'e3']);
    expect(delivered.find((a) => a.details?.outboxId === 'e1')).toMatchObject({ actorId: 'system', subjectId: user(1), details: { target: 'user' } });
    // Nothing is due any more.
    clock.advance(3600_000);
    expect(await w.dispatcher().drain()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(connector.requests).toHaveLength(3);
  });

  it('429 with Retry-After twice, then 200: each entry arrives once, never before Retry-After', async () => {
    const clock = fixedClock();
    const w = await world(clock);
    await w.repos.outbox.enqueue([entry('e1', toUser(1))]);
    connector.script({ status: 429, headers: { 'Retry-After': '1' } }, { status: 429, headers: { 'Retry-After': '1' } });
    const d = w.dispatcher();

    expect(await d.drain()).toEqual({ sent: 0, retried: 1, failed: 0 });
    // One request per attempt: the connector client's own retry policy is out of the way.
    expect(connector.requests).toHaveLength(1);
    let e1 = (await byId(w.repos)).get('e1')!;
    expect(e1).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP_429' });
    expect(Date.parse(e1.notBefore) - NOW.getTime()).toBe(1000);
    expect(e1.claimedAt).toBeUndefined();

    clock.advance(999);
    expect(await d.drain()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(connector.requests).toHaveLength(1);

    clock.advance(1);
    expect(await d.drain()).toEqual({ sent: 0, retried: 1, failed: 0 });
    e1 = (await byId(w.repos)).get('e1')!;
    expect(e1).toMatchObject({ state: 'pending', attempts: 2 });
    expect(Date.parse(e1.notBefore) - clock.now().getTime()).toBe(1000);

    clock.advance(1000);
    expect(await d.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(connector.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(arrived()).toEqual(['e1']);
    expect((await byId(w.repos)).get('e1')).toMatchObject({ state: 'sent', attempts: 2 });
    expect((await byId(w.repos)).get('e1')?.lastError).toBeUndefined();
  });

  it('a Retry-After given as an HTTP date is honoured too', async () => {
    const clock = fixedClock(new Date());
    const w = await world(clock);
    await w.repos.outbox.enqueue([entry('e1', toThread(1), clock.now())]);
    connector.script({ status: 429, headers: { 'Retry-After': new Date(clock.now().getTime() + 30_000).toUTCString() } });
    await w.dispatcher().drain();
    const wait = Date.parse((await byId(w.repos)).get('e1')!.notBefore) - clock.now().getTime();
    expect(wait).toBeGreaterThan(28_000);
    expect(wait).toBeLessThanOrEqual(30_000);
  });

  it('retries 502, 504, 412 and a dropped connection with backoff', async () => {
    const clock = fixedClock();
    const w = await world(clock);
    await w.repos.outbox.enqueue([entry('e1', toUser(1)), entry('e2', toUser(2)), entry('e3', toThread(3)), entry('e4', toChannel())]);
    connector.script({ status: 502 }, { status: 504 }, { status: 412 }, { status: 0, reset: true });
    const d = w.dispatcher();

    expect(await d.drain()).toEqual({ sent: 0, retried: 4, failed: 0 });
    expect(connector.requests).toHaveLength(4);
    const stored = [...(await byId(w.repos)).values()];
    expect(sorted(stored.map((e) => e.lastError!))).toEqual(['ECONNRESET', 'HTTP_412', 'HTTP_502', 'HTTP_504']);
    // First retry: full jitter over 1 s (random 0.25 → 250 ms).
    for (const e of stored) expect(Date.parse(e.notBefore) - NOW.getTime()).toBe(250);

    clock.advance(250);
    expect(await d.drain()).toEqual({ sent: 4, retried: 0, failed: 0 });
    expect(sorted(arrived())).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it.each([400, 401, 403, 404])('%i is not retried: the entry fails and says why', async (status) => {
    const clock = fixedClock();
    const w = await world(clock);
    await w.repos.outbox.enqueue([entry('e1', toUser(1))]);
    connector.script({ status });
    const d = w.dispatcher();

    expect(await d.drain()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect((await byId(w.repos)).get('e1')).toMatchObject({ state: 'failed', attempts: 1, lastError: `HTTP_${status}` });
    clock.advance(24 * 3600_000);
    expect(await d.drain()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(connector.requests).toHaveLength(1);
  });

  it('a person the bot never met fails at once, without a request', async () => {
    const w = await world();
    await w.repos.outbox.enqueue([entry('e1', { type: 'user', userId: 'never-seen' })]);
    expect(await w.dispatcher().drain()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect((await byId(w.repos)).get('e1')).toMatchObject({ state: 'failed', lastError: 'NO_CONVERSATION' });
    expect(connector.requests).toHaveLength(0);
  });

  it('gives up after maxAttempts', async () => {
    const clock = fixedClock();
    const w = await world(clock);
    await w.repos.outbox.enqueue([entry('e1', toUser(1))]);
    connector.fail(502);
    const d = w.dispatcher({ maxAttempts: 4 });
    const results = [];
    for (let i = 0; i < 6; i++) {
      results.push(await d.drain());
      clock.advance(3600_000);
    }
    expect(results.map((r) => r.failed)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(connector.requests).toHaveLength(4);
    expect((await byId(w.repos)).get('e1')).toMatchObject({ state: 'failed', attempts: 4, lastError: 'HTTP_502' });
    // Given up once, audited once with the failure; the retries before it are not final and not audited.
    const audit = (await w.repos.audit.list(ROUND)).filter((a) => a.action.startsWith('outbox.'));
    expect(audit).toEqual([
      expect.objectContaining({ action: 'outbox.failed', subjectId: user(1), details: expect.objectContaining({ code: 'HTTP_502', attempts: 4 }) }),
    ]);
  });

  it('an entry claimed by a dispatcher that died mid-send is sent after restart, once the claim is stale', async () => {
    const clock = fixedClock();
    const w = await world(clock);
    await w.repos.outbox.enqueue([entry('e1', toUser(1)), entry('e2', toUser(2))]);
    // The first process claims e1 and dies before Teams answers (its send never returns).
    let claimed!: () => void;
    const hasClaimed = new Promise<void>((r) => (claimed = r));
    const dying = new OutboxDispatcher({ repos: w.repos, clock }, { deliver: () => (claimed(), new Promise(() => undefined)) }, log, { concurrency: 1 });
    void dying.drain();
    await hasClaimed;
    expect((await byId(w.repos)).get('e1')).toMatchObject({ state: 'sending', claimedAt: NOW.toISOString() });

    const after = await w.restart();
    clock.advance(30_000);
    // e1's claim is still fresh (its owner might be alive); e2 was never claimed.
    expect(await after.dispatcher().drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(arrived()).toEqual(['e2']);

    clock.advance(31_000);
    expect(await after.dispatcher().drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(sorted(arrived())).toEqual(['e1', 'e2']);
    expect((await byId(after.repos)).get('e1')).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('entries stored but never dispatched (stopped right after the transaction) go out when the next process starts', async () => {
    const clock = fixedClock();
    const w = await world(clock);
    await w.repos.outbox.enqueue(Array.from({ length: 12 }, (_, i) => entry(`e${i}`, i % 2 ? toUser(i % 10) : toThread(i))));
    expect(connector.requests).toHaveLength(0);

    const next = await w.restart();
    const d = next.dispatcher();
    d.start();
    await d.idle();
    await d.stop();
    expect(sorted(arrived())).toEqual(sorted(Array.from({ length: 12 }, (_, i) => `e${i}`)));
    expect([...(await byId(next.repos)).values()].every((e) => e.state === 'sent')).toBe(true);
  });

  it('two dispatchers draining the same outbox at once send each entry once', async () => {
    const clock = fixedClock();
    const w = await world(clock);
    const ids = Array.from({ length: 30 }, (_, i) => `e${String(i).padStart(2, '0')}`);
    await w.repos.outbox.enqueue(ids.map((id, i) => entry(id, toUser(i % 6))));
    const other = await w.restart();

    const [a, b] = await Promise.all([w.dispatcher().drain(), other.dispatcher().drain()]);
    expect(a.sent + b.sent).toBe(30);
    expect(sorted(arrived())).toEqual(ids);
    expect(connector.requests).toHaveLength(30);
  });
});

describe('kick, start and stop', () => {
  function slowWorld() {
    const repos = memoryRepos();
    let drains = 0;
    const due = repos.outbox.due.bind(repos.outbox);
    repos.outbox.due = (...args) => (drains++, due(...args));
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const delivered: string[] = [];
    const notifier = {
      async deliver(_t: OutboxTarget, m: { text?: string }) {
        await gate;
        delivered.push(m.text ?? '');
        return {};
      },
    };
    return {
      repos,
      delivered,
      drains: () => drains,
      open: () => release(),
      close: () => (gate = new Promise<void>((r) => (release = r))),
      notifier,
    };
  }

  it('kicks during a drain coalesce into one more pass, never an overlapping one', async () => {
    const w = slowWorld();
    const d = new OutboxDispatcher({ repos: w.repos, clock: systemClock }, w.notifier, log);
    await w.repos.outbox.enqueue([entry('e1', toUser(1), new Date(0))]);
    d.kick();
    d.kick();
    await new Promise((r) => setTimeout(r, 20));
    expect(w.drains()).toBe(1);
    // Committed while the first drain is busy: five kicks, one more pass.
    await w.repos.outbox.enqueue([entry('e2', toUser(2), new Date(0))]);
    for (let i = 0; i < 5; i++) d.kick();
    w.open();
    await d.idle();
    expect(w.drains()).toBe(2);
    expect(w.delivered).toEqual(['e1', 'e2']);
  });

  it('drain() calls queue behind each other', async () => {
    const w = slowWorld();
    const d = new OutboxDispatcher({ repos: w.repos, clock: systemClock }, w.notifier, log);
    await w.repos.outbox.enqueue([entry('e1', toUser(1), new Date(0))]);
    const first = d.drain();
    const second = d.drain();
    await new Promise((r) => setTimeout(r, 20));
    expect(w.drains()).toBe(1);
    w.open();
    expect(await first).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await second).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it('stop() waits for the send under way and leaves the rest pending for the next start', async () => {
    const w = slowWorld();
    const d = new OutboxDispatcher({ repos: w.repos, clock: systemClock }, w.notifier, log, { concurrency: 1 });
    await w.repos.outbox.enqueue([entry('e1', toUser(1), new Date(0)), entry('e2', toUser(1), new Date(1))]);
    d.start();
    await new Promise((r) => setTimeout(r, 20));
    const stopping = d.stop();
    w.open();
    await stopping;
    const states = new Map((await w.repos.outbox.list(ROUND)).map((e) => [e.id, e.state]));
    expect(states).toEqual(
      new Map([
        ['e1', 'sent'],
        ['e2', 'pending'],
      ]),
    );
  });
});

describe('storm: 200 messages to 20 conversations, ~30% answered 429', () => {
  it('nothing lost, nothing twice, never more than 7 a second in a conversation', async () => {
    const w = await world(systemClock);
    // Deterministic "random" so a failure can be replayed.
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    connector.respond(() => (rnd() < 0.3 ? { status: 429, headers: { 'Retry-After': rnd() < 0.5 ? '0' : '1' } } : undefined));
    const ids = Array.from({ length: 200 }, (_, i) => `s${String(i).padStart(3, '0')}`);
    const now = new Date();
    await w.repos.outbox.enqueue(ids.map((id, i) => entry(id, toThread(i % 20), now)));

    const d = w.dispatcher({ random: Math.random, baseDelayMs: 200, maxDelayMs: 2000 });
    d.start();
    // Not all in time: the assertions below say which are missing. The wait is generous: on a loaded
    // machine the retries take longer, and how long is not what this test is about.
    await until(() => connector.posted.length >= 200 || undefined, { timeoutMs: 100_000, everyMs: 100 }).catch(() => undefined);
    await d.stop();

    expect(sorted(arrived())).toEqual(ids);
    const stored = [...(await byId(w.repos)).values()];
    expect(stored.every((e) => e.state === 'sent')).toBe(true);
    expect(connector.requests.filter((r) => r.status === 429).length).toBeGreaterThan(20);
    // Every request Teams saw, refused ones included, counts against the conversation's limit.
    const perConversation = new Map<string, number[]>();
    for (const r of connector.requests) perConversation.set(r.conversationId, [...(perConversation.get(r.conversationId) ?? []), r.at]);
    expect(perConversation.size).toBe(20);
    let busiest = 0;
    for (const times of perConversation.values()) {
      times.sort((a, b) => a - b);
      for (let i = 0; i < times.length; i++) busiest = Math.max(busiest, times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length);
    }
    expect(busiest).toBeLessThanOrEqual(7);
  }, 120_000);
});
