import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { activityBytes, MESSAGE_LIMIT_BYTES } from '../../src/cards/render';
import { startHarness } from '../support/harness';
import { ACCOUNTHOUDER, reviewedRound } from '../support/rounds';
import { cardAction, readCard, User } from '../support/teams';

const BOSS: User = { id: '29:boss', aadObjectId: ACCOUNTHOUDER, name: 'Accounthouder' };
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

describe('the allocation card a page at a time', () => {
  it('shows 20 lines, says approving covers all 25, and turns the page keeping an amount typed on the first', async () => {
    const first = await invoke(BOSS, 'alloc.show', { roundId });
    expect(amounts(first.card)).toHaveLength(20);
    expect(first.card.text).toContain('Aanvragen 1–20 van 25. Goedkeuren geldt voor alle 25');
    const changed = amounts(first.card)[1]!;
    const next = first.card.action('Volgende 5');
    const second = await invoke(BOSS, next.verb, { ...next.data, ...{ [changed.id]: '700' } });
    expect(amounts(second.card)).toHaveLength(5);
    expect(second.card.text).toContain('Aanvragen 21–25 van 25');
    expect(second.card.input(changed.id)).toBeUndefined();
    // Back again: the typed amount is shown where it was typed.
    const back = second.card.action('Vorige 20');
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
