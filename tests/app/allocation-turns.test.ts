import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { startHarness } from '../support/harness';
import { ACCOUNTHOUDER, applicantId, reviewedRound } from '../support/rounds';
import { cardAction, personalMessage, readCard, User } from '../support/teams';
import { until } from '../support/until';

const BOSS: User = { id: '29:boss', aadObjectId: ACCOUNTHOUDER, name: 'Accounthouder' };
const OTHER: User = { id: '29:other', aadObjectId: '00000000-0000-4000-8000-0000000000ff', name: 'Iemand' };

let h: Awaited<ReturnType<typeof startHarness>>;
let repos: ReturnType<typeof tableRepos>;
let roundId = '';

beforeAll(async () => {
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: ACCOUNTHOUDER, SEED_DEMO: 'false' } });
  repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
  const setup = await reviewedRound(repos, [
    { requested: 20_000, score: 5, organisation: 'Stichting Buurtkracht' },
    { requested: 18_000, score: 4, organisation: 'Taalhuis De Brug' },
    { requested: 15_000, score: 4, organisation: 'Sportbedrijf' },
    { requested: 10_000, score: 3, organisation: 'Speeltuin De Vlinder' },
    { requested: 5_000, score: 'knockout', organisation: 'Wijkcentrum' },
  ]);
  roundId = setup.round.id;
});
afterAll(() => h?.stop());

async function cardFor(user: User) {
  h.connector.clear();
  await h.send(personalMessage(h.connector.url, user, 'toekenning'));
  return h.connector.posted[0]!.activity.attachments?.[0]?.content ?? h.connector.posted[0]!.activity;
}

async function press(card: unknown, title: string, user: User, inputs: Record<string, string> = {}) {
  const a = readCard(card).action(title);
  return readCard(await h.invoke(cardAction(h.connector.url, user, a.verb, { ...a.data, ...inputs })));
}

describe("the accounthouder's allocation card", () => {
  it('shows the ranked proposal within the budget, shares, the knock-out, one approve button', async () => {
    const card = readCard(await cardFor(BOSS));
    expect(card.text).toMatch(/1\. LB-\d{4}-001/);
    expect(card.text).toContain('Valt af');
    expect(card.text).toMatch(/Nu voorgesteld: €\s50\.000/);
    expect(card.text).toContain('(gedeeltelijk)');
    expect(card.actions.map((a) => a.title)).toEqual(['Toekenning goedkeuren', 'Voorleggen aan panel', 'Vernieuwen']);
    expect(card.inputs.filter((i) => i.type === 'Input.Number')).toHaveLength(4);
    for (const i of card.inputs) expect(String(i.label)).toMatch(/\S/);
  });

  it('is refused to someone who is not an accounthouder, whatever the card data says', async () => {
    const card = await cardFor(BOSS);
    const refused = await press(card, 'Toekenning goedkeuren', OTHER);
    expect(refused.text).toContain('Alleen een accounthouder');
    expect(readCard(await cardFor(OTHER)).text).toContain('Alleen een accounthouder');
    expect((await repos.allocation.snapshot(roundId))!.decisions).toEqual([]);
  });

  it('an adjustment over the budget is refused and decides nothing', async () => {
    const card = await cardFor(BOSS);
    const inputs = Object.fromEntries(
      readCard(card)
        .inputs.filter((i) => i.type === 'Input.Number')
        .map((i) => [i.id, String(i.max)]),
    );
    const res = await press(card, 'Toekenning goedkeuren', BOSS, inputs);
    expect(res.text).toContain('meer dan er over is');
    expect((await repos.allocation.snapshot(roundId))!.decisions).toEqual([]);
  });

  it('approves with a partial award; a second press and a stale card decide nothing twice', async () => {
    const card = await cardFor(BOSS);
    const numbers = readCard(card).inputs.filter((i) => i.type === 'Input.Number');
    const done = await press(card, 'Toekenning goedkeuren', BOSS, { [String(numbers[0]!.id)]: '18000' });
    expect(done.text).toMatch(/Goedgekeurd: €\s48\.000 toegekend/);
    const again = await press(card, 'Toekenning goedkeuren', BOSS);
    expect(again.text).toContain('al goedgekeurd');
    const snap = (await repos.allocation.snapshot(roundId))!;
    expect(snap.decisions).toHaveLength(1);
    expect(snap.ledger?.value.spent).toBe(48_000);
    // 18,000 instead of 20,000 for the first; 18,000; the partial 12,000; the next did not fit; the knock-out.
    expect(snap.applications.map((a) => `${a.value.status} ${a.value.decision?.awarded}`).sort()).toEqual([
      'awarded 12000',
      'awarded 18000',
      'awarded 18000',
      'declined 0',
      'declined 0',
    ]);
    const audit = (await repos.audit.list(roundId)).filter((e) => e.action === 'allocation.approved');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: ACCOUNTHOUDER, details: { total: 48_000, awarded: 3, declined: 2 } });
  });

  it('announces the decision through the outbox: each applicant, each review thread, one channel summary', async () => {
    // Not there in time: the assertions below say what is missing.
    await until(async () => (await repos.outbox.list(roundId)).length >= 11 || undefined, { timeoutMs: 1000 }).catch(() => undefined);
    const kinds = (await repos.outbox.list(roundId)).map((e) => e.kind).sort();
    expect(kinds).toEqual([...Array(5).fill('decision.applicant'), 'decision.summary', ...Array(5).fill('decision.thread')]);
    const decision = (await repos.allocation.snapshot(roundId))!.decisions[0]!;
    expect(decision.value.announced).toBe(true);
  });
});

describe('after the decision', () => {
  const PARTNER: User = { id: '29:partner0', aadObjectId: applicantId(0), name: 'Partner' };

  it('an awarded partner reports results: a draft first, then sent; the accounthouder sees who reported', async () => {
    h.connector.clear();
    await h.send(personalMessage(h.connector.url, PARTNER, 'resultaten'));
    const form = h.connector.posted[0]!.activity.attachments[0].content;
    const f = readCard(form);
    expect(f.text).toContain('Resultaten melden');
    expect(f.inputs.map((i) => i.id)).toEqual(['done', 'reached', 'learned', 'indicators', 'spent']);
    const draft = await press(form, 'Concept opslaan', PARTNER, { done: 'Tien bijeenkomsten.' });
    expect(draft.text).toContain('Je concept is opgeslagen');
    const refused = readCard(await h.invoke(cardAction(h.connector.url, PARTNER, 'results.save', { ...draft.action('Versturen').data })));
    expect(refused.text).toContain('Vul dit in.');
    const sent = await press(await h.invoke(cardAction(h.connector.url, PARTNER, 'results.open', draft.action('Versturen').data)), 'Versturen', PARTNER, {
      done: 'Tien bijeenkomsten.',
      reached: '42 jongeren.',
      learned: 'Samen werkt het.',
      indicators: 'deelnemers: 42',
      spent: '17500',
    });
    expect(sent.text).toContain('Je resultaten zijn verstuurd');
    expect(sent.inputs).toEqual([]);

    h.connector.clear();
    await h.send(personalMessage(h.connector.url, BOSS, 'overzicht'));
    // The answer card (a notice to the accounthouder about an applicant the bot cannot reach may arrive beside it).
    const overview = readCard(h.connector.posted.find((p) => p.activity.attachments?.length)!.activity.attachments[0].content);
    expect(overview.text).toContain('Resultaten gemeld: 1 van 3');
    expect(overview.text).toMatch(/Toegekend: €\s48\.000/);
    expect(overview.text).toContain('nog niet gemeld');
  });
});
