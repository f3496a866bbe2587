import { describe, expect, it } from 'vitest';
import { canWithdraw, newDraft, nextPosition, previousPosition, submit, withdraw, withStep } from '../../src/domain/application';
import { formatReference, parseReference } from '../../src/domain/reference';
import { ineligibleReasons } from '../../src/domain/eligibility';
import { submissionWindow } from '../../src/domain/round';
import { NOW, round } from '../fixtures';

const draft = () => newDraft({ id: 'a'.repeat(20), roundId: 'LB-2026', applicantId: 'u1', now: NOW });

describe('application lifecycle', () => {
  it('walks the steps forward to the summary and back to the first step', () => {
    expect(nextPosition('organisation')).toBe('question');
    expect(nextPosition('results')).toBe('summary');
    expect(previousPosition('question')).toBe('organisation');
    expect(previousPosition('organisation')).toBe('organisation');
  });

  it('every change raises the revision', () => {
    const d = draft();
    const saved = withStep(d, { title: 'x' }, 'approach', NOW);
    expect(saved.rev).toBe(d.rev + 1);
    expect(saved.position).toBe('approach');
  });

  it('submits only a complete draft inside the submission window', () => {
    const r = round();
    const complete = () => true;
    expect(submit(draft(), r, NOW, () => false)).toMatchObject({ ok: false, error: { code: 'INCOMPLETE', step: 'organisation' } });
    expect(submit(draft(), { ...r, status: 'paused' }, NOW, complete)).toMatchObject({ ok: false, error: { code: 'WINDOW', window: 'round-not-open' } });
    expect(submit(draft(), r, new Date(Date.parse(r.submissionDeadline) + 1), complete)).toMatchObject({
      ok: false,
      error: { code: 'WINDOW', window: 'deadline-passed' },
    });
    const ok = submit(draft(), r, NOW, complete);
    expect(ok.ok && ok.value.status).toBe('submitted');
    expect(ok.ok && submit(ok.value, r, NOW, complete)).toMatchObject({ ok: false, error: { code: 'NOT_DRAFT' } });
  });

  it('withdraws until decided, never a draft or a decision', () => {
    for (const s of ['submitted', 'in_review', 'reviewed'] as const) expect(withdraw({ ...draft(), status: s }, NOW).ok).toBe(true);
    for (const s of ['draft', 'awarded', 'declined', 'withdrawn', 'results_reported'] as const) {
      expect(canWithdraw(s)).toBe(false);
      expect(withdraw({ ...draft(), status: s }, NOW).ok).toBe(false);
    }
  });

  it('knows when the round takes applications', () => {
    const r = round();
    expect(submissionWindow(r, NOW)).toBe('open');
    expect(submissionWindow(r, new Date(Date.parse(r.opensAt) - 1))).toBe('not-yet-open');
  });
});

describe('references', () => {
  it('formats and parses LB-2026-007', () => {
    expect(formatReference('LB', 2026, 7)).toBe('LB-2026-007');
    expect(formatReference('LB', 2026, 1234)).toBe('LB-2026-1234');
    expect(parseReference('lb-2026-007')).toEqual({ prefix: 'LB', year: 2026, sequence: 7 });
    expect(() => formatReference('LB', 2026, 0)).toThrow();
  });
});

describe('eligibility', () => {
  it('names every unmet condition', () => {
    expect(ineligibleReasons({ partnerInSocialeBasis: true, activeInMunicipality: true, collectiveAnswer: true })).toEqual([]);
    expect(ineligibleReasons({ partnerInSocialeBasis: true, activeInMunicipality: false, collectiveAnswer: false })).toEqual([
      'activeInMunicipality',
      'collectiveAnswer',
    ]);
  });
});
