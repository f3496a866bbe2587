import { describe, expect, it } from 'vitest';
import { validateResults } from '../../src/domain/results';
import { memoryRepos } from '../../src/store/memory-repos';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { approveAllocation } from '../../src/usecases/approve-allocation';
import { roundOverview } from '../../src/usecases/round-overview';
import { saveResults } from '../../src/usecases/save-results';
import { ACCOUNTHOUDER, applicantId, reviewedRound } from '../support/rounds';

const full = {
  done: 'Tien bijeenkomsten.',
  reached: '42 jongeren.',
  learned: 'Samen met het jongerenwerk werkt het beter.',
  indicators: 'deelnemers: 42',
  spent: '11800',
};

async function awardedRound() {
  const setup = await reviewedRound(memoryRepos(), [
    { requested: 12_000, score: 5 },
    { requested: 12_000, score: 4 },
    { requested: 40_000, score: 'knockout' },
  ]);
  const p = (await currentProposal(setup.deps, setup.round.id))!;
  const approved = await approveAllocation(setup.deps, { actorId: ACCOUNTHOUDER, roundId: setup.round.id, fingerprint: p.fingerprint, adjustments: {} });
  if (!approved.ok) throw new Error('approve');
  return setup;
}

describe('validateResults', () => {
  it.each([
    [{ ...full, done: '' }, 'submit', 'done', 'required'],
    [{ ...full, spent: '11.800,50' }, 'submit', 'spent', 'wholeEuros'],
    [{ ...full, spent: '118000' }, 'submit', 'spent', 'aboveAward'],
    [{ done: 'x'.repeat(3001) }, 'draft', 'done', 'tooLong'],
  ] as const)('refuses %j (%s)', (raw, mode, field, code) => {
    const r = validateResults(raw, 12_000, mode);
    expect(!r.ok && r.error[field]).toBe(code);
  });

  it('a draft may be incomplete; a submission must be complete', () => {
    expect(validateResults({ done: 'Begonnen.' }, 12_000, 'draft')).toEqual({ ok: true, value: { done: 'Begonnen.' } });
    expect(validateResults(full, 12_000, 'submit')).toMatchObject({ ok: true, value: { spent: 11_800 } });
  });
});

describe('results reports from awarded partners', () => {
  it('saves a draft, then submits once; the application is "results reported"', async () => {
    const { deps, round, ids } = await awardedRound();
    let app = (await deps.repos.applications.get(round.id, ids[0]!))!.value;
    const draft = await saveResults(deps, {
      applicantId: applicantId(0),
      roundId: round.id,
      applicationId: app.id,
      rev: app.rev,
      raw: { done: 'Begonnen.' },
      mode: 'draft',
    });
    expect(draft.ok && draft.value.results).toMatchObject({ state: 'draft', done: 'Begonnen.' });
    app = draft.ok ? draft.value : app;
    const stale = await saveResults(deps, {
      applicantId: applicantId(0),
      roundId: round.id,
      applicationId: app.id,
      rev: app.rev - 1,
      raw: full,
      mode: 'submit',
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'STALE' } });
    const sent = await saveResults(deps, { applicantId: applicantId(0), roundId: round.id, applicationId: app.id, rev: app.rev, raw: full, mode: 'submit' });
    expect(sent.ok && sent.value).toMatchObject({ status: 'results_reported', results: { state: 'submitted', spent: 11_800 } });
    expect(
      await saveResults(deps, { applicantId: applicantId(0), roundId: round.id, applicationId: app.id, rev: app.rev + 1, raw: full, mode: 'submit' }),
    ).toMatchObject({ ok: false, error: { code: 'ALREADY_SUBMITTED' } });
  });

  it('only for your own awarded application', async () => {
    const { deps, round, ids } = await awardedRound();
    const declined = (await deps.repos.applications.get(round.id, ids[2]!))!.value;
    expect(declined.status).toBe('declined');
    expect(
      await saveResults(deps, { applicantId: applicantId(2), roundId: round.id, applicationId: declined.id, rev: declined.rev, raw: full, mode: 'draft' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_AWARDED' } });
    const mine = (await deps.repos.applications.get(round.id, ids[0]!))!.value;
    expect(
      await saveResults(deps, { applicantId: applicantId(1), roundId: round.id, applicationId: mine.id, rev: mine.rev, raw: full, mode: 'draft' }),
    ).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('the overview shows budget, statuses, deadlines ahead and who has not reported', async () => {
    const { deps, round, ids } = await awardedRound();
    const app = (await deps.repos.applications.get(round.id, ids[0]!))!.value;
    await saveResults(deps, { applicantId: applicantId(0), roundId: round.id, applicationId: app.id, rev: app.rev, raw: full, mode: 'submit' });
    const o = (await roundOverview(deps, round.id))!;
    expect(o).toMatchObject({ budget: 50_000, awarded: 24_000, remaining: 26_000, counts: { results_reported: 1, awarded: 1, declined: 1 } });
    expect(o.results.map((r) => r.reported)).toEqual([true, false]);
    expect(o.deadlinesAhead.map((d) => d.kind)).toEqual(['submission', 'review', 'allocationReport', 'resultsReport']);
  });
});
