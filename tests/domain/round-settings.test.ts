import { describe, expect, it } from 'vitest';
import { STADSBREED } from '../../src/domain/round';
import { demoRound } from '../../src/domain/demo-round';
import {
  amsterdamDay,
  amsterdamInstant,
  canChangeStatus,
  newRoundFor,
  RawSettings,
  shiftYears,
  toRawSettings,
  validateRoundSettings,
} from '../../src/domain/round-settings';
import { defaultCriteria } from '../../src/domain/criteria';
import { NOW } from '../fixtures';

describe('amsterdamInstant', () => {
  it.each([
    // winter (CET, +01:00)
    ['2026-01-15', '00:00', '2026-01-14T23:00:00.000Z'],
    ['2026-01-15', '17:00', '2026-01-15T16:00:00.000Z'],
    // the day summer time starts (last Sunday of March, 02:00 → 03:00): midnight is still CET, 17:00 is CEST
    ['2026-03-29', '00:00', '2026-03-28T23:00:00.000Z'],
    ['2026-03-29', '17:00', '2026-03-29T15:00:00.000Z'],
    ['2026-03-28', '17:00', '2026-03-28T16:00:00.000Z'],
    ['2026-03-30', '00:00', '2026-03-29T22:00:00.000Z'],
    // summer (CEST, +02:00)
    ['2026-07-01', '17:00', '2026-07-01T15:00:00.000Z'],
    // the day summer time ends (last Sunday of October, 03:00 → 02:00): midnight is CEST, 17:00 is CET
    ['2026-10-25', '00:00', '2026-10-24T22:00:00.000Z'],
    ['2026-10-25', '17:00', '2026-10-25T16:00:00.000Z'],
    ['2026-10-24', '17:00', '2026-10-24T15:00:00.000Z'],
    ['2026-10-26', '00:00', '2026-10-25T23:00:00.000Z'],
    // leap day
    ['2028-02-29', '17:00', '2028-02-29T16:00:00.000Z'],
  ])('%s %s local is %s', (day, time, iso) => {
    expect(amsterdamInstant(day, time)).toBe(iso);
    expect(amsterdamDay(iso)).toBe(day);
  });

  it('refuses days and times that do not exist', () => {
    expect(() => amsterdamInstant('2026-02-30', '17:00')).toThrow(RangeError);
    expect(() => amsterdamInstant('2026-01-15', '24:00')).toThrow(RangeError);
    expect(() => amsterdamInstant('15-01-2026', '17:00')).toThrow(RangeError);
  });

  it('moves a date by whole years, keeping the local time', () => {
    expect(shiftYears('2026-03-28T16:00:00.000Z', 1)).toBe('2027-03-28T15:00:00.000Z'); // 17:00 CET → 17:00 CEST (DST starts 28 March 2027)
    expect(shiftYears('2028-02-29T16:00:00.000Z', 1)).toBe('2029-02-28T16:00:00.000Z');
  });
});

const VALID: Required<RawSettings> = {
  name: 'Wijkgericht leerbudget 2026',
  budget: '50000',
  maxPerApplication: '15000',
  opensAt: '2026-03-01',
  submissionDeadline: '2026-04-15',
  reviewDeadline: '2026-05-15',
  councilAllocationReportDue: '2026-07-01',
  councilResultsReportDue: '2026-12-01',
  wijken: 'Holtenbroek\nAssendorp',
  quorum: '3',
  retentionNotAwardedMonths: '12',
  retentionDraftMonths: '12',
  retentionAwardedYears: '7',
};
const ctx = { year: 2026 };
const errorsOf = (raw: RawSettings) => {
  const res = validateRoundSettings(raw, ctx);
  return res.ok ? {} : res.error;
};

describe('validateRoundSettings', () => {
  it('turns days into instants: opening at 00:00, deadlines at 17:00 Amsterdam time', () => {
    const res = validateRoundSettings(VALID, ctx);
    expect(res).toEqual({
      ok: true,
      value: {
        name: 'Wijkgericht leerbudget 2026',
        budget: 50_000,
        maxPerApplication: 15_000,
        opensAt: '2026-02-28T23:00:00.000Z',
        submissionDeadline: '2026-04-15T15:00:00.000Z',
        reviewDeadline: '2026-05-15T15:00:00.000Z',
        councilAllocationReportDue: '2026-07-01T15:00:00.000Z',
        councilResultsReportDue: '2026-12-01T16:00:00.000Z',
        wijken: ['Holtenbroek', 'Assendorp', STADSBREED],
        quorum: 3,
      },
    });
  });

  it.each<[string, RawSettings, Record<string, string>]>([
    // The retention terms are not required in the payload: a card without them keeps the stored terms.
    [
      'every field empty',
      {},
      Object.fromEntries(
        Object.keys(VALID)
          .filter((k) => !k.startsWith('retention'))
          .map((k) => [k, 'required']),
      ),
    ],
    ['a retention term emptied', { ...VALID, retentionDraftMonths: ' ' }, { retentionDraftMonths: 'required' }],
    ['a retention term of 0 years', { ...VALID, retentionAwardedYears: '0' }, { retentionAwardedYears: 'retentionTerm' }],
    ['a retention term above its limit', { ...VALID, retentionNotAwardedMonths: '121' }, { retentionNotAwardedMonths: 'retentionTerm' }],
    ['a retention term with a fraction', { ...VALID, retentionNotAwardedMonths: '6,5' }, { retentionNotAwardedMonths: 'retentionTerm' }],
    ['name too long', { ...VALID, name: 'x'.repeat(121) }, { name: 'tooLong' }],
    ['budget with cents', { ...VALID, budget: '50000,50' }, { budget: 'wholeEuros' }],
    ['budget zero', { ...VALID, budget: '0' }, { budget: 'positive' }],
    ['budget negative', { ...VALID, budget: '-5' }, { budget: 'positive' }],
    ['budget above 10 million', { ...VALID, budget: '10000001' }, { budget: 'budgetTooHigh' }],
    ['max above budget', { ...VALID, maxPerApplication: '50001' }, { maxPerApplication: 'aboveBudget' }],
    ['max zero', { ...VALID, maxPerApplication: '0' }, { maxPerApplication: 'positive' }],
    ['not a date', { ...VALID, opensAt: '1 maart' }, { opensAt: 'date' }],
    ['a day that does not exist', { ...VALID, reviewDeadline: '2026-02-30' }, { reviewDeadline: 'date' }],
    ['a typo in the year', { ...VALID, councilResultsReportDue: '2062-12-01' }, { councilResultsReportDue: 'dateOutOfRange' }],
    ['deadline on the opening day', { ...VALID, submissionDeadline: '2026-03-01' }, { submissionDeadline: 'notAfterOpening' }],
    ['deadline before opening', { ...VALID, submissionDeadline: '2026-02-01' }, { submissionDeadline: 'notAfterOpening' }],
    ['review before submission deadline', { ...VALID, reviewDeadline: '2026-04-14' }, { reviewDeadline: 'beforeSubmissionDeadline' }],
    [
      'allocation report before review deadline',
      { ...VALID, councilAllocationReportDue: '2026-05-14' },
      { councilAllocationReportDue: 'beforeReviewDeadline' },
    ],
    ['results report on allocation day', { ...VALID, councilResultsReportDue: '2026-07-01' }, { councilResultsReportDue: 'notAfterAllocationReport' }],
    ['a wijk name too long', { ...VALID, wijken: 'x'.repeat(61) }, { wijken: 'wijkTooLong' }],
    ['40 wijken plus Stadsbreed', { ...VALID, wijken: Array.from({ length: 40 }, (_, i) => `Wijk ${i}`).join('\n') }, { wijken: 'tooManyWijken' }],
    ['only blank lines', { ...VALID, wijken: '\n  \n' }, { wijken: 'required' }],
    ['quorum 0', { ...VALID, quorum: '0' }, { quorum: 'quorum' }],
    ['quorum 21', { ...VALID, quorum: '21' }, { quorum: 'quorum' }],
    ['quorum 2.5', { ...VALID, quorum: '2.5' }, { quorum: 'quorum' }],
  ])('%s', (_name, raw, expected) => {
    expect(errorsOf(raw)).toEqual(expected);
  });

  it.each<[string, RawSettings]>([
    ['review on the submission deadline day', { ...VALID, reviewDeadline: '2026-04-15' }],
    ['allocation report on the review deadline day', { ...VALID, councilAllocationReportDue: '2026-05-15' }],
    ['max equal to budget', { ...VALID, maxPerApplication: '50000' }],
    ['budget of exactly 10 million', { ...VALID, budget: '10000000' }],
    ['budget written as "€ 50.000"', { ...VALID, budget: '€ 50.000' }],
    ['results report early next year', { ...VALID, councilResultsReportDue: '2027-01-31' }],
    ['39 wijken plus Stadsbreed', { ...VALID, wijken: Array.from({ length: 39 }, (_, i) => `Wijk ${i}`).join('\n') }],
    ['quorum 20', { ...VALID, quorum: '20' }],
  ])('accepts %s', (_name, raw) => {
    expect(validateRoundSettings(raw, ctx).ok).toBe(true);
  });

  it('wijken: trimmed, duplicates dropped (ignoring case), Stadsbreed kept once and last', () => {
    const res = validateRoundSettings({ ...VALID, wijken: '  Holtenbroek \nstadsbreed\nholtenbroek\n\nZwolle-Zuid\r\nAssendorp  ' }, ctx);
    expect(res.ok && res.value.wijken).toEqual(['Holtenbroek', 'Zwolle-Zuid', 'Assendorp', STADSBREED]);
    const only = validateRoundSettings({ ...VALID, wijken: 'Stadsbreed' }, ctx);
    expect(only.ok && only.value.wijken).toEqual([STADSBREED]);
  });

  it('a stored round shown on the card and saved unchanged stays exactly the same', () => {
    const round = demoRound(NOW); // deadlines at 16:00 UTC, i.e. 17:00 in winter
    const res = validateRoundSettings(toRawSettings(round), { year: round.year, current: round });
    expect(res.ok).toBe(true);
    if (res.ok) for (const [k, v] of Object.entries(res.value)) expect(v, k).toEqual(round[k as keyof typeof round]);
  });

  it('a date whose day is unchanged keeps its stored time; a changed day gets the standard time', () => {
    const stored = validateRoundSettings(VALID, ctx);
    if (!stored.ok) throw new Error('fixture');
    const odd = { ...stored.value, submissionDeadline: '2026-04-15T10:00:00.000Z' }; // 12:00 local, set by someone earlier
    const same = validateRoundSettings(VALID, { year: 2026, current: odd });
    expect(same.ok && same.value.submissionDeadline).toBe('2026-04-15T10:00:00.000Z');
    const moved = validateRoundSettings({ ...VALID, submissionDeadline: '2026-04-16' }, { year: 2026, current: odd });
    expect(moved.ok && moved.value.submissionDeadline).toBe('2026-04-16T15:00:00.000Z');
  });
});

describe('round status', () => {
  it.each([
    ['draft', 'open', true],
    ['draft', 'paused', false],
    ['draft', 'closed', false],
    ['open', 'paused', true],
    ['open', 'closed', true],
    ['paused', 'open', true],
    ['paused', 'closed', true],
    ['closed', 'open', false],
    ['closed', 'paused', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canChangeStatus(from, to)).toBe(allowed);
  });
});

describe('newRoundFor', () => {
  it('copies the latest round into the new year, as a draft with the default criteria', () => {
    const latest = { ...demoRound(NOW), status: 'closed' as const, criteria: { ...defaultCriteria(), version: 4 } };
    const next = newRoundFor(2027, latest, defaultCriteria());
    expect(next).toMatchObject({
      id: 'LB-2027',
      year: 2027,
      name: 'Wijkgericht leerbudget 2027',
      status: 'draft',
      budget: latest.budget,
      maxPerApplication: latest.maxPerApplication,
      wijken: latest.wijken,
      quorum: latest.quorum,
      criteria: defaultCriteria(),
    });
    expect(amsterdamDay(next.submissionDeadline)).toBe(amsterdamDay(latest.submissionDeadline).replace('2026', '2027'));
    expect(validateRoundSettings(toRawSettings(next), { year: 2027 }).ok).toBe(true);
  });

  it('takes the round’s own application form along, as a copy', () => {
    const form = {
      version: 3,
      steps: [{ id: 'plan', questions: [{ id: 'q2', type: 'shortText' as const, label: { nl: 'Doel', en: 'Aim' }, required: true }] }],
    };
    const latest = { ...demoRound(NOW), form };
    const next = newRoundFor(2027, latest, defaultCriteria());
    expect(next.form).toEqual(form);
    expect(next.form).not.toBe(form);
    expect(newRoundFor(2027, demoRound(NOW), defaultCriteria()).form).toBeUndefined();
  });

  it('without an earlier round, a calendar that passes validation', () => {
    const first = newRoundFor(2026, undefined, defaultCriteria());
    expect(first.id).toBe('LB-2026');
    expect(validateRoundSettings(toRawSettings(first), { year: 2026 }).ok).toBe(true);
  });
});
