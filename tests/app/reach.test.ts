import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app/core/bot';
import { OutboxDispatcher } from '../../src/app/proactive/outbox-dispatcher';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import type { RosterAddress } from '../../src/domain/conversation';
import type { OutboxEntry } from '../../src/domain/outbox';
import type { Repos } from '../../src/ports';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { fixedClock, NOW } from '../fixtures';
import { RunningAzurite, startAzurite } from '../support/azurite';
import { startConnector } from '../support/connector';
import { startHarness } from '../support/harness';
import { BOT, cardAction, channelMessage, INGRID, LOTTE, MOHAMED, personalMessage, readCard, SANNE, TENANT } from '../support/teams';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { systemClock } from '../../src/clock';
import { until } from '../support/until';

/**
 * Reaching people who never wrote to the bot: the team roster is read when the bot joins a team
 * (or the review channel is linked), the Notifier starts the 1:1 chat from it with Teams' create
 * conversation, and whoever still cannot be reached is named to the accounthouders, once. All of
 * it through the real CloudAdapter against the recording connector, on Azurite.
 */

const log = createLogger('silent');
const TEAM = '19:team@thread.tacv2';
const ROUND = 'round-2026';
const BOSS = '00000000-0000-4000-8000-0000000000b0';
const person = (i: number) => `00000000-0000-4000-8000-0000000003${String(i).padStart(2, '0')}`;

function teamInstall(serviceUrl: string, membersAdded: object[]) {
  return {
    type: 'conversationUpdate',
    id: `install-${Math.random()}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: INGRID.id, aadObjectId: INGRID.aadObjectId, name: INGRID.name },
    recipient: BOT,
    conversation: { conversationType: 'channel', isGroup: true, tenantId: TENANT, id: TEAM },
    channelData: { tenant: { id: TENANT }, team: { id: TEAM, name: 'Leerbudget' }, eventType: 'teamMemberAdded' },
    membersAdded,
  };
}

describe('the team roster is stored when the bot is in the team (HTTP, harness)', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let repos: Repos;
  beforeAll(async () => {
    h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
    repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
  });
  afterAll(() => h?.stop());
  beforeEach(() => h.connector.clear());

  it('installed in a team: every page of the roster is read; members with an Entra id are stored with roster id, tenant, serviceUrl and the bot id', async () => {
    const members = Array.from({ length: 502 }, (_, i) => ({
      id: `29:member-${i}`,
      aadObjectId: person(i % 100) + String(i).padStart(3, '0'),
      name: `Lid ${i}`,
    }));
    h.connector.setRoster(TEAM, [...members, { id: '28:other-bot', name: 'Andere bot' }]);
    expect((await h.send(teamInstall(h.connector.url, [{ id: BOT.id }]))).status).toBe(200);

    const pages = h.connector.requests.filter((r) => r.path.includes('/pagedmembers'));
    expect(pages).toHaveLength(2);
    expect(pages[0]!.path).toContain(`/v3/conversations/${encodeURIComponent(TEAM)}/pagedmembers`);
    const stored = await repos.conversations.listRoster();
    expect(stored).toHaveLength(502);
    expect(await repos.conversations.getRoster(members[501]!.aadObjectId)).toEqual({
      userId: members[501]!.aadObjectId,
      rosterId: '29:member-501',
      tenantId: TENANT,
      serviceUrl: h.connector.url,
      botId: BOT.id,
      name: 'Lid 501',
      updatedAt: expect.any(String),
    });
    // Nothing was said in the team, and no 1:1 conversation was stored for anyone.
    expect(h.connector.posted).toHaveLength(0);
    expect(await repos.conversations.get(members[0]!.aadObjectId)).toBeUndefined();
  });

  it('a member who joins the team later is stored, with the name Teams lists for them', async () => {
    const newcomer = { id: '29:newcomer', aadObjectId: person(77), name: 'Nieuw Lid' };
    h.connector.setRoster(TEAM, [newcomer]);
    await h.send(teamInstall(h.connector.url, [{ id: newcomer.id, aadObjectId: newcomer.aadObjectId }]));
    expect(await repos.conversations.getRoster(newcomer.aadObjectId)).toMatchObject({ rosterId: '29:newcomer', name: 'Nieuw Lid' });
  });

  it('linking the review channel reads the roster of its team too', async () => {
    h.connector.setRoster(TEAM, [{ id: SANNE.id, aadObjectId: SANNE.aadObjectId, name: SANNE.name }]);
    await h.send(channelMessage(h.connector.url, INGRID, 'koppel beoordeling'));
    await until(async () => Boolean(await repos.conversations.getRoster(SANNE.aadObjectId)));
    expect(await repos.conversations.getRoster(SANNE.aadObjectId)).toMatchObject({ rosterId: SANNE.id, name: SANNE.name, tenantId: TENANT });
  });
});

describe('messages to people who never chatted with the bot (outbox, connector stub, Azurite)', () => {
  let azurite: RunningAzurite;
  let connector: Awaited<ReturnType<typeof startConnector>>;
  let prefix = 0;
  beforeAll(async () => {
    [azurite, connector] = await Promise.all([startAzurite(), startConnector()]);
  });
  afterAll(async () => {
    await connector?.stop();
    await azurite?.stop();
  });
  beforeEach(() => connector.clear());

  const address = (i: number, name = `Persoon ${i}`): RosterAddress => ({
    userId: person(i),
    rosterId: `29:roster-${i}`,
    tenantId: TENANT,
    serviceUrl: connector.url,
    botId: BOT.id,
    name,
    updatedAt: NOW.toISOString(),
  });

  function entry(id: string, userId: string, kind = 'decision.applicant'): OutboxEntry {
    return {
      id,
      roundId: ROUND,
      kind,
      target: { type: 'user', userId },
      text: id,
      state: 'pending',
      attempts: 0,
      notBefore: NOW.toISOString(),
      createdAt: NOW.toISOString(),
    };
  }

  /** One bot process (real adapter, Notifier, dispatcher wired as src/index.ts wires it); the accounthouder has a 1:1 chat. */
  async function world(clock = fixedClock()) {
    const tablePrefix = `R${process.pid}x${++prefix}`;
    const clients = tableClients(azurite.connectionString, tablePrefix);
    await ensureTables(clients);
    const repos = tableRepos(clients);
    const deps = { repos, clock, accounthouders: [BOSS] };
    const config = loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: tablePrefix, LOG_LEVEL: 'silent' });
    const bot = createBot(config, deps, log);
    await repos.conversations.save({
      userId: BOSS,
      conversationId: 'a:boss',
      reference: {
        channelId: 'msteams',
        serviceUrl: connector.url,
        bot: BOT,
        user: { id: '29:boss', aadObjectId: BOSS },
        conversation: { id: 'a:boss', conversationType: 'personal', tenantId: TENANT },
      },
      locale: 'nl-NL',
      updatedAt: NOW.toISOString(),
    });
    const dispatcher = new OutboxDispatcher(deps, bot.notifier, log, { random: () => 0.25, onUndeliverable: bot.undeliverable });
    return { repos, clock, dispatcher };
  }

  const toBoss = () => connector.posted.filter((p) => p.conversationId === 'a:boss').map((p) => String(p.activity.text));

  it('a decision to an applicant who never chatted: the chat is created from the roster address, the card sent there and the conversation stored; the next message reuses it', async () => {
    const w = await world();
    await w.repos.conversations.saveRoster([address(1)]);
    await w.repos.outbox.enqueue([entry('d1', person(1))]);

    expect(await w.dispatcher.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(connector.created).toHaveLength(1);
    expect(connector.created[0]!.body).toMatchObject({
      isGroup: false,
      bot: { id: BOT.id },
      members: [{ id: '29:roster-1' }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    });
    expect(connector.created[0]!.body.members).toHaveLength(1);
    expect(connector.posted.map((p) => [p.conversationId, p.activity.text])).toEqual([['a:created-29:roster-1', 'd1']]);
    expect(await w.repos.conversations.get(person(1))).toMatchObject({ conversationId: 'a:created-29:roster-1' });

    await w.repos.outbox.enqueue([entry('d2', person(1), 'reminder.results')]);
    expect(await w.dispatcher.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(connector.created).toHaveLength(1);
    expect(connector.posted.map((p) => p.conversationId)).toEqual(['a:created-29:roster-1', 'a:created-29:roster-1']);
    expect(toBoss()).toEqual([]);
  });

  it('a retried delivery creates no second conversation: created, the send answered 502, the retry goes to the stored chat', async () => {
    const w = await world();
    await w.repos.conversations.saveRoster([address(2)]);
    await w.repos.outbox.enqueue([entry('d1', person(2))]);
    connector.respond((r) =>
      r.method === 'POST' && r.path.includes('/activities') && connector.requests.filter((x) => x.status === 502).length === 0 ? { status: 502 } : undefined,
    );

    expect(await w.dispatcher.drain()).toEqual({ sent: 0, retried: 1, failed: 0 });
    w.clock.advance(250);
    expect(await w.dispatcher.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(connector.requests.filter((r) => r.method === 'POST' && r.path === '/v3/conversations')).toHaveLength(1);
    expect(connector.posted.map((p) => p.conversationId)).toEqual(['a:created-29:roster-2']);
  });

  it('Teams refuses the chat (403): the message fails, and the accounthouder is told once who and why — also when it happens twice', async () => {
    const w = await world();
    await w.repos.conversations.saveRoster([address(3, 'Fatima Yilmaz')]);
    await w.repos.outbox.enqueue([entry('rem-a', person(3), 'reminder.unscored'), entry('rem-b', person(3), 'reminder.unscored')]);
    connector.respond((r) => (r.path === '/v3/conversations' ? { status: 403 } : undefined));

    const first = await w.dispatcher.drain();
    expect(first.failed).toBe(2);
    const outbox = new Map((await w.repos.outbox.list(ROUND)).map((e) => [e.id, e]));
    expect(outbox.get('rem-a')).toMatchObject({ state: 'failed', lastError: 'HTTP_403' });
    expect(outbox.get('rem-b')).toMatchObject({ state: 'failed', lastError: 'HTTP_403' });
    await w.dispatcher.drain();

    expect(toBoss()).toHaveLength(1);
    expect(toBoss()[0]).toContain('Fatima Yilmaz');
    expect(toBoss()[0]).toContain('herinneringen');
    expect(toBoss()[0]).toContain('Teams weigerde de chat');
    expect(await w.repos.conversations.get(person(3))).toBeUndefined();
    // A later failure about the same subject, days later, stores no second notice.
    w.clock.advance(3 * 86_400_000);
    await w.repos.outbox.enqueue([
      { ...entry('rem-c', person(3), 'reminder.unscored'), createdAt: w.clock.now().toISOString(), notBefore: w.clock.now().toISOString() },
    ]);
    await w.dispatcher.drain();
    await w.dispatcher.drain();
    expect(toBoss()).toHaveLength(1);
  });

  it('no chat and no roster address: no create call; the accounthouder hears who and what to do', async () => {
    const w = await world();
    await w.repos.outbox.enqueue([entry('d9', person(9))]);
    expect(await w.dispatcher.drain()).toMatchObject({ failed: 1 });
    await w.dispatcher.drain();
    expect(connector.created).toHaveLength(0);
    expect(toBoss()).toHaveLength(1);
    expect(toBoss()[0]).toMatch(/^Iemand kon niet persoonlijk bereikt worden met het besluit over de aanvraag: de bot heeft geen chat/);
  });
});

describe('a consultation reaches panel members who never chatted (HTTP, harness, the dispatcher as src/index.ts wires it)', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let repos: Repos;
  beforeAll(async () => {
    h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
    repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
  });
  afterAll(() => h?.stop());

  it('invitations go to chats the bot creates; a member outside the team is named on the card, one Teams refuses in a notice to the accounthouder', async () => {
    const deps = { repos, clock: systemClock, accounthouders: [INGRID.aadObjectId] };
    for (const [u, role] of [
      [SANNE, 'partner'],
      [MOHAMED, 'ervaringsdeskundige'],
      [LOTTE, 'gemeente'],
    ] as const) {
      await addPanelMember(deps, {
        actorId: INGRID.aadObjectId,
        person: { userId: u.aadObjectId, mri: u.id, name: u.name },
        role,
        ...(role === 'partner' ? { organisation: 'Wijkpartners Zwolle' } : {}),
      });
    }
    // Sanne and Mohamed are in the team the bot is installed in; Lotte is not. None of them ever chatted with the bot.
    h.connector.setRoster(
      TEAM,
      [SANNE, MOHAMED].map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })),
    );
    await h.send(teamInstall(h.connector.url, [{ id: BOT.id }]));
    // Mohamed blocked the bot: Teams refuses to create his chat.
    h.connector.respond((r) => (r.path === '/v3/conversations' && r.activity.members?.[0]?.id === MOHAMED.id ? { status: 403 } : undefined));

    const ingridChat = `a:personal-${INGRID.aadObjectId}`;
    const toIngrid = () => h.connector.posted.filter((p) => p.conversationId === ingridChat);
    await h.send(personalMessage(h.connector.url, INGRID, 'raadpleging'));
    const admin = (await until(() => toIngrid()[0])).activity.attachments[0].content;
    const closes = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const a = readCard(admin).action('Raadpleging starten');
    const started = readCard(await h.invoke(cardAction(h.connector.url, INGRID, a.verb, { ...a.data, closesAt: closes, audience: 'panel' })));
    // The card says who cannot be reached before anything is sent, and why.
    expect(started.text).toContain('zonder chat met de bot en niet in een team waar de bot in zit (Lotte Mulder;');
    expect(started.text).not.toContain('Sanne de Vries;');

    const sanneChat = `a:created-${SANNE.id}`;
    const invite = await until(() => h.connector.posted.find((p) => p.conversationId === sanneChat));
    expect(readCard(invite.activity.attachments[0].content).text).toContain('Denk mee');
    expect(h.connector.created.map((c) => c.body.members[0].id)).toEqual([SANNE.id]);
    expect(await repos.conversations.get(SANNE.aadObjectId)).toMatchObject({ conversationId: sanneChat });

    const notice = await until(() => toIngrid().find((p) => String(p.activity.text).includes('Mohamed El Amrani')));
    expect(String(notice.activity.text)).toContain('de uitnodiging voor de raadpleging');
    expect(String(notice.activity.text)).toContain('Teams weigerde de chat');
  });
});
