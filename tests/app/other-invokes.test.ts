import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, readCard } from '../support/teams';

/** Every invoke name Teams may send gets a valid answer of its kind (never teams-ai's 501), and nothing is written. */
let h: Awaited<ReturnType<typeof startHarness>>;
let repos: ReturnType<typeof tableRepos>;
beforeAll(async () => {
  h = await startHarness();
  repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
});
afterAll(() => h?.stop());

const NAMES = [
  'task/fetch',
  'task/submit',
  'composeExtension/query',
  'composeExtension/queryLink',
  'composeExtension/anonymousQueryLink',
  'composeExtension/selectItem',
  'composeExtension/fetchTask',
  'composeExtension/submitAction',
  'composeExtension/querySettingUrl',
  'composeExtension/setting',
  'composeExtension/onCardButtonClicked',
  'signin/verifyState',
  'signin/tokenExchange',
  'fileConsent/invoke',
  'actionableMessage/executeAction',
  'config/fetch',
  'config/submit',
  'tab/fetch',
  'tab/submit',
  'application/search',
  'message/submitAction',
  'handoff/action',
  'healthCheck',
  'something/else',
];

describe('invokes the bot has no feature for', () => {
  it.each(NAMES)('%s is answered with a valid response and writes nothing', async (name) => {
    const round = (await repos.rounds.list())[0]!.id;
    const before = (await repos.audit.list(round)).length;
    const activity = { ...cardAction(h.connector.url, ANOUK, 'x', {}), name, value: { commandId: 'x', parameters: [], data: {} } };
    const res = await h.send(activity);
    expect(res.status).not.toBe(501);
    if (name === 'signin/tokenExchange') expect(res.status).toBe(412);
    else expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown> | undefined;
    if (name.startsWith('task/') || name === 'composeExtension/fetchTask')
      expect(body).toMatchObject({ task: { type: 'message', value: expect.stringContaining('Leerbudget') } });
    else if (name.startsWith('composeExtension/'))
      expect(body).toMatchObject({ composeExtension: { type: 'message', text: expect.stringContaining('Leerbudget') } });
    else if (name.startsWith('config/')) expect(body).toMatchObject({ responseType: 'config', config: { type: 'message' } });
    else if (name.startsWith('tab/'))
      expect(readCard((body as { tab: { value: { cards: { card: unknown }[] } } }).tab.value.cards[0]!.card).text).toContain('Leerbudget');
    else if (name === 'application/search') expect(body).toMatchObject({ type: 'application/vnd.microsoft.search.searchResponse', value: { results: [] } });
    expect((await repos.audit.list(round)).length).toBe(before);
  });

  it('an adaptiveCard/action whose value is not an Action.Execute with a verb gets a card that says so', async () => {
    for (const value of [undefined, {}, { action: 'x' }, { action: { type: 'Action.Submit', verb: 'app.home' } }, { action: { type: 'Action.Execute' } }]) {
      const res = await h.send({ ...cardAction(h.connector.url, ANOUK, 'app.home', {}), value });
      expect(res.status).toBe(200);
      expect(readCard((res.body as { value: unknown }).value).text).toContain('Deze kaart kon ik niet verwerken');
    }
  });

  it('an invoke in an envelope Teams would not send (no channel id, no recipient, a conversation or sender of the wrong shape) still gets a card, and writes nothing', async () => {
    const round = (await repos.rounds.list())[0]!.id;
    const before = (await repos.audit.list(round)).length;
    const base = cardAction(h.connector.url, ANOUK, 'apply.start', { roundId: round });
    for (const envelope of [
      { channelId: '' },
      { recipient: null },
      { conversation: { id: 42 } },
      { conversation: null },
      { from: { aadObjectId: 'a'.repeat(80) } },
      { from: { id: '29:x', name: 'x' } },
    ]) {
      const res = await h.send({ ...base, ...envelope });
      expect(res.status, JSON.stringify(envelope)).toBe(200);
      expect((res.body as { type?: string }).type, JSON.stringify(envelope)).toBe('application/vnd.microsoft.card.adaptive');
    }
    expect((await repos.audit.list(round)).length).toBe(before);
  });

  it('Action.Execute still reaches its own routes (and the unknown-verb card), not this answer', async () => {
    const card = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'app.home', {})));
    expect(card.text).toMatch(/leerbudget/i);
    const unknown = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'no.such.verb', {})));
    expect(unknown.text).toContain('Deze kaart kon ik niet verwerken');
  });
});
