import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { activityBytes, MESSAGE_LIMIT_BYTES } from '../../src/cards/render';
import { systemClock } from '../../src/clock';
import { proposalPanelCard } from '../../src/cards/allocation-cards';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { startHarness } from '../support/harness';
import { ACCOUNTHOUDER, REVIEWER, reviewedRound } from '../support/rounds';
import { cardAction, readCard, User } from '../support/teams';

const BOSS: User = { id: '29:boss', aadObjectId: ACCOUNTHOUDER, name: 'Accounthouder' };
const MEMBER: User = { id: '29:member', aadObjectId: REVIEWER, name: 'Panellid' };
const OTHER: User = { id: '29:other', aadObjectId: '00000000-0000-4000-8000-0000000000ff', name: 'Iemand' };

let h: Awaited<ReturnType<typeof startHarness>>;
let repos: ReturnType<typeof tableRepos>;
let roundId = '';

beforeAll(async () => {
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: ACCOUNTHOUDER, SEED_DEMO: 'false' } });
  repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
  const setup = await reviewedRound(
    repos,
    Array.from({ length: 25 }, (_, i) => ({ requested: 1_000 + i, score: 5 - (i % 3), organisation: `Organisatie ${i}` })),
    { budget: 1_000_000 },
  );
  roundId = setup.round.id;
}, 60_000);
afterAll(() => h?.stop());

const invoke = async (user: User, verb: string, data: Record<string, unknown>) => {
  const answer = await h.invoke(cardAction(h.connector.url, user, verb, data));
  expect(activityBytes(answer)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
  return { raw: answer, card: readCard(answer) };
};
const amounts = (card: ReturnType<typeof readCard>) => card.inputs.filter((i) => i.type === 'Input.Number');

describe('the panel\u2019s copy of the proposal a page at a time', () => {
  it('a panel member turns the page for themself; marking still covers the whole proposal; others are refused', async () => {
    const fingerprint = (await invoke(BOSS, 'alloc.show', { roundId })).card.action('Voorleggen aan panel').data.fingerprint as string;
    // The card as posted in the channel: its first page.
    const cp = (await currentProposal({ repos, clock: systemClock } as never, roundId))!;
    const first = readCard(proposalPanelCard('nl', cp, []));
    expect(first.text).toContain('Aanvragen 1–15 van 25. Eens of oneens geldt voor het hele voorstel');
    const next = first.action('Volgende 10');
    expect(next.verb).toBe('alloc.panelPage');
    expect(next.data).toEqual({ roundId, fingerprint, page: 1 });
    const second = await invoke(MEMBER, next.verb, next.data);
    expect(second.card.text).toContain('Aanvragen 16–25 van 25');
    expect(second.card.text).not.toContain('Organisatie 0 ');
    expect(second.card.action('Vorige 15').data).toMatchObject({ page: 0 });
    const agree = second.card.action('Eens');
    expect(agree.data).toEqual({ roundId, fingerprint, agree: 'true' });
    // The accounthouder may look too; someone else is refused and sees no line.
    expect((await invoke(BOSS, next.verb, next.data)).card.text).toContain('Aanvragen 16–25 van 25');
    const refused = await invoke(OTHER, next.verb, next.data);
    expect(refused.card.text).toContain('Alleen panelleden kunnen reageren');
    expect(refused.card.text).not.toContain('Aanvragen 16–25');
    // A page of an older proposal: the current one, closed for marking.
    const stale = await invoke(MEMBER, next.verb, { ...next.data, fingerprint: '25-00000000' });
    expect(stale.card.text).toContain('Dit voorstel is niet meer actueel');
    expect(() => stale.card.action('Eens')).toThrow();
  });

  it('the panel\u2019s reactions on their own card are for an accounthouder only', async () => {
    const fingerprint = (await invoke(BOSS, 'alloc.show', { roundId })).card.action('Voorleggen aan panel').data.fingerprint as string;
    const data = { roundId, fingerprint, page: 1, marksPage: 1, amount_x: '5' };
    const refused = await invoke(OTHER, 'alloc.marks', data);
    expect(refused.card.text).toContain('Alleen een accounthouder');
    const shown = await invoke(BOSS, 'alloc.marks', data);
    expect(shown.card.text).toContain('Reacties van het panel');
    expect(shown.card.action('Terug naar de toekenning')).toMatchObject({ verb: 'alloc.page', data: { roundId, fingerprint, page: 1 } });
  });
});

describe('the allocation card a page at a time', () => {
  it('shows 15 lines, says approving covers all 25, and turns the page keeping an amount typed on the first', async () => {
    const first = await invoke(BOSS, 'alloc.show', { roundId });
    expect(amounts(first.card)).toHaveLength(15);
    expect(first.card.text).toContain('Aanvragen 1–15 van 25. Goedkeuren geldt voor alle 25');
    const changed = amounts(first.card)[1]!;
    const next = first.card.action('Volgende 10');
    const second = await invoke(BOSS, next.verb, { ...next.data, ...{ [changed.id]: '700' } });
    expect(amounts(second.card)).toHaveLength(10);
    expect(second.card.text).toContain('Aanvragen 16–25 van 25');
    expect(second.card.input(changed.id)).toBeUndefined();
    // Back again: the typed amount is shown where it was typed.
    const back = second.card.action('Vorige 15');
    const again = await invoke(BOSS, back.verb, back.data);
    expect(again.card.input(changed.id)?.value).toBe(700);

    // Approving from the second page covers every line, with the amount typed on the first.
    const approve = second.card.action('Toekenning goedkeuren');
    expect(approve.data[changed.id]).toBe('700');
    const done = await invoke(BOSS, approve.verb, approve.data);
    expect(done.card.text).toContain('Goedgekeurd');
    const snap = (await repos.allocation.snapshot(roundId))!;
    expect(snap.decisions).toHaveLength(1);
    expect(snap.decisions[0]!.value.lines).toHaveLength(25);
    const line = snap.decisions[0]!.value.lines.find((l) => `amount_${l.applicationId}` === changed.id)!;
    expect(line.awarded).toBe(700);
  });

  it('a page of an older proposal, or pressed by someone else, shows no lines of it and changes nothing', async () => {
    const old = await invoke(BOSS, 'alloc.page', { roundId, fingerprint: '25-00000000', page: 1 });
    expect(old.card.text).toMatch(/niet meer actueel|veranderd/i);
    const refused = await invoke(OTHER, 'alloc.page', { roundId, fingerprint: '25-00000000', page: 1 });
    expect(refused.card.text).toContain('Alleen een accounthouder');
    expect(amounts(refused.card)).toHaveLength(0);
  });
});
