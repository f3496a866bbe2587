import { describe, expect, it } from 'vitest';
import { newDraft, type Application } from '../../src/domain/application';
import {
  addMonthsToDay,
  anonymisedApplication,
  applicationTerm,
  DEFAULT_RETENTION,
  describeAnonymisation,
  dueForAnonymisation,
  peopleTermEnd,
  termEnd,
} from '../../src/domain/retention';
import { amsterdamInstant } from '../../src/domain/round-settings';
import { NOW, round } from '../fixtures';

const app = (over: Partial<Application> = {}): Application => ({
  ...newDraft({ id: 'a'.repeat(20), roundId: 'LB-2026', applicantId: 'u1', now: NOW }),
  ...over,
});
const r = round({
  submissionDeadline: amsterdamInstant('2026-04-01', '17:00'),
  councilAllocationReportDue: amsterdamInstant('2026-07-01', '17:00'),
  councilResultsReportDue: amsterdamInstant('2026-12-01', '17:00'),
});

describe('retention terms', () => {
  it('count calendar months in Amsterdam and end at midnight after the last day', () => {
    expect(addMonthsToDay('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDay('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsToDay('2026-12-31', 12)).toBe('2027-12-31');
    expect(addMonthsToDay('2026-11-15', 3)).toBe('2027-02-15');
    // 17:00 on 1 April (summer time) + 12 months: kept all of 1 April 2027, gone from 00:00 on 2 April (22:00 UTC).
    expect(termEnd('2026-04-01T15:00:00Z', 12)).toBe('2027-04-01T22:00:00.000Z');
    // A start in winter ending in winter: 23:00 UTC.
    expect(termEnd('2026-12-01T16:00:00Z', 84)).toBe('2033-12-01T23:00:00.000Z');
  });

  it('are DST safe: a start late in the evening UTC is the next day in Amsterdam', () => {
    // 22:30 UTC on 30 June is 00:30 on 1 July in Zwolle: the term counts from 1 July.
    expect(termEnd('2026-06-30T22:30:00Z', 1)).toBe('2026-08-01T22:00:00.000Z');
    // The term ends on the last Sunday of October (the clocks go back): midnight after is 23:00 UTC.
    expect(termEnd('2026-09-25T10:00:00Z', 1)).toBe('2026-10-25T23:00:00.000Z');
    // And across the March change: 24 March + 1 month ends at 00:00 CEST on 25 April (22:00 UTC).
    expect(termEnd('2026-03-24T10:00:00Z', 1)).toBe('2026-04-24T22:00:00.000Z');
  });

  it('year end: 31 December plus 12 months ends at midnight into 1 January', () => {
    expect(termEnd('2026-12-31T12:00:00Z', 12)).toBe('2027-12-31T23:00:00.000Z');
    // 23:30 UTC on 31 December is already 1 January in Zwolle.
    expect(termEnd('2026-12-31T23:30:00Z', 12)).toBe('2028-01-01T23:00:00.000Z');
  });

  it('defaults: 12 months for not awarded and drafts, 7 years after the year-end report for awards', () => {
    expect(DEFAULT_RETENTION).toEqual({ notAwardedMonths: 12, draftMonths: 12, awardedYears: 7 });
    expect(applicationTerm(app(), r, [])).toEqual({ kind: 'draft', from: r.submissionDeadline, until: '2027-04-01T22:00:00.000Z' });
    const awarded = app({ status: 'awarded', decision: { decisionId: 'd', outcome: 'awarded', awarded: 5000, decidedAt: '2026-06-10T10:00:00Z' } });
    expect(applicationTerm(awarded, r, [])).toMatchObject({ kind: 'awarded', until: '2033-12-01T23:00:00.000Z' });
    const declined = app({ status: 'declined', decision: { decisionId: 'd', outcome: 'declined', awarded: 0, decidedAt: '2026-06-10T10:00:00Z' } });
    expect(applicationTerm(declined, r, [])).toMatchObject({ kind: 'notAwarded', until: '2027-06-10T22:00:00.000Z' });
    // Withdrawn: from the round's last decision; without one, from the allocation report's deadline.
    const withdrawn = app({ status: 'withdrawn' });
    expect(applicationTerm(withdrawn, r, ['2026-06-01T10:00:00Z', '2026-06-20T10:00:00Z'])).toMatchObject({ until: '2027-06-20T22:00:00.000Z' });
    expect(applicationTerm(withdrawn, r, [])).toMatchObject({ from: r.councilAllocationReportDue });
    expect(peopleTermEnd(r)).toBe('2027-12-01T23:00:00.000Z');
  });

  it('a round sets its own terms; a term changed later moves only what is not anonymised yet', () => {
    const short = { ...r, retention: { notAwardedMonths: 1, draftMonths: 2, awardedYears: 10 } };
    expect(applicationTerm(app(), short, []).until).toBe('2026-06-01T22:00:00.000Z');
    const done = app({ anonymisedAt: '2026-05-01T00:00:00Z' });
    expect(dueForAnonymisation([app(), done], short, [], new Date('2026-06-01T22:00:00Z')).map((a) => a.anonymisedAt)).toEqual([undefined]);
    expect(dueForAnonymisation([app()], short, [], new Date('2026-06-01T21:59:59Z'))).toEqual([]);
  });
});

describe('the plan and the transform', () => {
  const full = app({
    status: 'declined',
    reference: 'LB-2026-007',
    decision: { decisionId: 'd', outcome: 'declined', awarded: 0, decidedAt: '2026-06-10T10:00:00Z' },
    fields: { organisation: 'Buurtkracht', contactName: 'Anouk', contactEmail: 'a@x.nl', wijk: 'Assendorp', title: 'Plan', question: 'Vraag', amount: 5000 },
  });

  it('says what goes and what stays, computed from the data', () => {
    const plan = describeAnonymisation(full, { sheets: [], recusals: [{ memberId: 'm', reason: 'declared', note: 'zus', at: 'x' }], questions: [] });
    expect(plan.removed.applicationFields.sort()).toEqual(['contactEmail', 'contactName', 'question']);
    expect(plan.removed.recusalNotes).toBe(1);
    expect(plan.kept.map((k) => k.what)).toEqual(['reference', 'organisation', 'wijk', 'amounts', 'title', 'dates', 'status']);
    // A draft never decided loses its title too.
    expect(
      describeAnonymisation(app({ fields: { title: 'Moestuin van opa Jan' } }), { sheets: [], recusals: [], questions: [] }).removed.applicationFields,
    ).toEqual(['title']);
  });

  it('removes the personal fields, pseudonymises the applicant, and is the same when applied twice', () => {
    const once = anonymisedApplication(full, (id) => `psn_${id}`, NOW);
    expect(once.fields).toEqual({ organisation: 'Buurtkracht', wijk: 'Assendorp', title: 'Plan', amount: 5000 });
    expect(once.applicantId).toBe('psn_u1');
    expect(once.anonymisedAt).toBe(NOW.toISOString());
    expect(anonymisedApplication(once, (id) => `psn_${id}`, new Date())).toEqual(once);
    expect(describeAnonymisation(once, { sheets: [], recusals: [], questions: [] }).nothingToRemove).toBe(true);
  });
});
