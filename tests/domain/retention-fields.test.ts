import { describe, expect, it } from 'vitest';
import type { Application, ApplicationFields, OrganisationLinks } from '../../src/domain/application';
import type { Recusal } from '../../src/domain/panel';
import type { ResultsReport } from '../../src/domain/results';
import type { Question } from '../../src/domain/review';
import {
  anonymisedApplication,
  anonymisedQuestion,
  anonymisedRecusal,
  anonymisedSheet,
  APPLICATION_FIELDS_CLASS,
  APPLICATION_ROW_CLASS,
  BUDGET_LINE_CLASS,
  FieldClass,
  QUESTION_CLASS,
  RECUSAL_CLASS,
  RESULTS_CLASS,
  SHEET_CLASS,
} from '../../src/domain/retention';
import type { ScoreSheet } from '../../src/domain/scoring';
import { STORED_FIELDS } from '../../src/http/stored-data';
import { NOW } from '../fixtures';

/**
 * Records with every field set (`Required<…>`: a field added to a type does not compile here
 * until it is set, and the test below then fails until the anonymiser classifies it).
 */
const FIELDS: Required<ApplicationFields & OrganisationLinks> = {
  organisation: 'Org',
  organisationId: 'org-1',
  contactName: 'Naam',
  contactEmail: 'n@x.nl',
  contactPhone: '06',
  coApplicants: ['Mede'],
  coApplicantIds: ['org-2'],
  wijk: 'Assendorp',
  title: 'Titel',
  question: 'Vraag',
  approach: 'Aanpak',
  livedExperience: 'Ervaring',
  ambitions: ['contact'],
  amount: 1000,
  budgetLines: [{ description: 'Begeleiding', amount: 1000, ownContribution: 100, coFunding: 50 }],
  budgetBreakdown: 'Begroting',
  periodStart: '2027-01-01',
  periodEnd: '2027-12-31',
  expectedResults: 'Resultaten',
  evidence: 'Bewijs',
  answers: { q1: 'Eigen antwoord', q2: 3, q3: ['a', 'b'] },
};
const RESULTS: Required<ResultsReport> = {
  state: 'submitted',
  done: 'Gedaan',
  reached: 'Bereikt',
  learned: 'Geleerd',
  indicators: 'ind',
  spent: 900,
  updatedAt: 'u',
  submittedAt: 's',
};
const APP: Required<Application> = {
  id: 'a'.repeat(20),
  roundId: 'LB-2026',
  applicantId: 'user-1',
  status: 'results_reported',
  rev: 3,
  position: 'summary',
  fields: FIELDS,
  reference: 'LB-2026-001',
  createdAt: 'c',
  updatedAt: 'u',
  submittedAt: 's',
  formVersion: 2,
  withdrawnAt: 'w',
  decision: { decisionId: 'd', outcome: 'awarded', awarded: 1000, decidedAt: 'd' },
  results: RESULTS,
  reviewNote: 'settled',
  eligibility: {} as Application['eligibility'] & object,
  reviewResult: { criteria: [], knockedOut: false, sheets: 1, quorum: 1, quorumMet: true },
  anonymisedAt: '',
};
const SHEET: Required<ScoreSheet> = {
  memberId: 'm',
  criteriaVersion: 1,
  scores: { a: 3 },
  comments: { a: 'c' },
  overall: 'o',
  at: 'a',
  firstCountedAt: 'f',
  revisedAfterSeen: 0,
};
const RECUSAL: Required<Recusal> = { memberId: 'm', reason: 'declared', note: 'n', at: 'a' };
const QUESTION: Required<Question> = { id: 'q', applicationId: 'a', askedBy: 'm', text: 't', askedAt: 'a', answer: 'x', answeredAt: 'y' };

function check<T extends object>(name: string, full: T, cls: Record<string, FieldClass>, after: Partial<T>) {
  for (const key of Object.keys(full)) {
    const c = cls[key];
    expect(c, `${name}.${key} is not classified`).toBeDefined();
    const value = (after as Record<string, unknown>)[key];
    if (c!.end.fate === 'removed')
      expect(value === undefined || value === '' || (typeof value === 'object' && Object.keys(value as object).length === 0), `${name}.${key} removed`).toBe(
        true,
      );
    if (c!.end.fate === 'kept' && !['rev', 'updatedAt', 'anonymisedAt', 'fields', 'results', 'budgetLines'].includes(key))
      expect(value, `${name}.${key} kept`).toEqual((full as Record<string, unknown>)[key]);
    if (c!.end.fate === 'pseudonymised') expect(value).toBe(`psn_x_${(full as Record<string, unknown>)[key]}`);
  }
}

describe('every stored field of an application and its review is classified, and the anonymiser does what its class says', () => {
  const p = (id: string) => `psn_x_${id}`;
  const app = anonymisedApplication(APP, p, NOW);

  it('application row, fields, results', () => {
    check('application', APP, APPLICATION_ROW_CLASS, app);
    check('fields', FIELDS, APPLICATION_FIELDS_CLASS, app.fields);
    check('results', RESULTS, RESULTS_CLASS, app.results!);
    // Budget lines stay line by line: their descriptions go, their amounts stay.
    expect(app.fields.budgetLines).toHaveLength(FIELDS.budgetLines.length);
    FIELDS.budgetLines.forEach((line, i) => check('budgetLine', line, BUDGET_LINE_CLASS, app.fields.budgetLines![i]!));
  });

  it('sheet, recusal, question', () => {
    check('sheet', SHEET, SHEET_CLASS, anonymisedSheet(SHEET));
    check('recusal', RECUSAL, RECUSAL_CLASS, anonymisedRecusal(RECUSAL));
    check('question', QUESTION, QUESTION_CLASS, anonymisedQuestion(QUESTION, p));
  });

  it('the list for the closing note names every classified field once', () => {
    const names = STORED_FIELDS.map((f) => `${f.record}.${f.field}`);
    expect(new Set(names).size).toBe(names.length);
    for (const [record, cls] of Object.entries({
      application: APPLICATION_ROW_CLASS,
      fields: APPLICATION_FIELDS_CLASS,
      budgetLine: BUDGET_LINE_CLASS,
      results: RESULTS_CLASS,
      sheet: SHEET_CLASS,
      recusal: RECUSAL_CLASS,
      question: QUESTION_CLASS,
    }))
      for (const field of Object.keys(cls)) expect(names, `${record}.${field}`).toContain(`${record}.${field}`);
  });
});

describe('every other stored record is classified too', () => {
  it('each record type around applications has every field in the list with a category, a term and an end', async () => {
    const { RECORD_CLASSES } = await import('../../src/domain/retention-records');
    const names = STORED_FIELDS.map((f) => `${f.record}.${f.field}`);
    expect(new Set(names).size).toBe(names.length);
    const records = Object.keys(RECORD_CLASSES);
    for (const r of [
      'consultationResponse',
      'panelMember',
      'conversation',
      'rosterAddress',
      'accounthouder',
      'organisation',
      'outbox',
      'audit',
      'decision',
      'panelMark',
      'reminder',
      'attachment',
    ])
      expect(records).toContain(r);
    for (const [record, { cls, term }] of Object.entries(RECORD_CLASSES))
      for (const field of Object.keys(cls)) {
        const f = STORED_FIELDS.find((x) => x.record === record && x.field === field);
        expect(f, `${record}.${field}`).toMatchObject({ term });
        expect(['identity', 'freeText', 'organisation', 'facts', 'technical']).toContain(f!.category);
      }
    // What the anonymiser removes from a consultation response and a mark is what the classes say.
    const { anonymisedConsultationResponse, anonymisedMark } = await import('../../src/domain/retention');
    const mark = anonymisedMark({ fingerprint: 'f', memberId: 'm', name: 'Rita', role: 'partner', agree: true, remark: 'tekst', at: 'x' }, 'Anoniem ab12').next;
    expect(mark.remark).toBeUndefined();
    expect(mark.name).toBe('Anoniem ab12');
    const resp = anonymisedConsultationResponse({
      userId: 'u',
      role: 'partner',
      perCriterion: { a: { kind: 'change', change: { title: 'T', weight: 2 }, reason: 'R' } },
      newCriteria: [{ title: 'N', description: 'D', weight: 1, reason: 'W' }],
      updatedAt: 'x',
    });
    expect(resp.texts).toBe(5);
    expect(JSON.stringify(resp.next)).not.toMatch(/"(T|R|N|D|W)"/);
  });
});
