import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { forbiddenCard } from '../../src/app/round/routes';
import * as adminCards from '../../src/cards/admin-cards';
import * as attachmentCards from '../../src/cards/attachment-cards';
import * as allocationCards from '../../src/cards/allocation-cards';
import * as applicationsCards from '../../src/cards/applications-cards';
import * as privacyCards from '../../src/cards/privacy-cards';
import * as notice from '../../src/cards/notice';
import * as organisationCards from '../../src/cards/organisation-cards';
import * as partnerCards from '../../src/cards/partner-cards';
import type { Card } from '../../src/cards/render';
import * as resultsCards from '../../src/cards/results-cards';
import * as retentionCards from '../../src/cards/retention-cards';
import * as changeCards from '../../src/cards/change-request-cards';
import type { ChangeRequest } from '../../src/domain/change-request';
import * as formCards from '../../src/cards/form-cards';
import { formFixtures } from './form-fixtures';
import type { AnonymiseConfirmation } from '../../src/usecases/anonymise';
import type { KeptItem } from '../../src/domain/retention';
import * as reviewCards from '../../src/cards/review-cards';
import * as roundCards from '../../src/cards/round-cards';
import { fingerprint, propose } from '../../src/domain/allocation';
import { newDraft, STEPS } from '../../src/domain/application';
import { CONSULTATION_LIMITS } from '../../src/domain/consultation';
import { computeResult, reviewProgress } from '../../src/domain/scoring';
import { BUDGET_LINE_LIMITS } from '../../src/domain/budget-lines';
import { LIMITS, toRawInput, withRowErrors } from '../../src/domain/validation';
import { FormQuestion, FormStep, QUESTION_LIMITS, stepAnswerChars } from '../../src/domain/form';
import { worstForm } from '../support/forms';
import type { Lang } from '../../src/i18n';
import { NOW, round } from '../fixtures';
import type { OverviewRow } from '../../src/domain/application-overview';
import type { ApplicationsPage } from '../../src/usecases/list-applications';

/**
 * Fixtures of every card builder in src/cards, by module and export name: what renderer.test.ts
 * parses with the official Adaptive Cards library and render-equivalence.test.ts renders both ways.
 */
const r = round();
const long = (n: number) => 'Lange tekst met woorden over de wijk. '.repeat(Math.ceil(n / 38)).slice(0, n);
const app = {
  ...newDraft({ id: 'a'.repeat(20), roundId: r.id, applicantId: 'u1', now: NOW }),
  status: 'submitted' as const,
  reference: 'LB-2026-007',
  fields: {
    organisation: 'Stichting Buurtkracht Zwolle',
    contactName: 'Anouk Bakker',
    contactEmail: 'anouk@buurtkracht.example',
    contactPhone: '038 123 4567',
    coApplicants: ['Travers Welzijn', 'Sportbedrijf Zwolle'],
    wijk: 'Holtenbroek',
    title: 'Samen sterk in Holtenbroek',
    question: long(LIMITS.long),
    approach: long(LIMITS.approach),
    livedExperience: long(600),
    ambitions: ['contact', 'kansen'] as ('contact' | 'vitaal' | 'kansen')[],
    amount: 12_500,
    budgetLines: [
      { description: 'Begeleiding', amount: 8000 },
      { description: 'Ruimte', amount: 2500, ownContribution: 500 },
      { description: 'Materiaal', amount: 1500, coFunding: 750 },
    ],
    budgetBreakdown: 'Begeleiding 8000, ruimte 2500, materiaal 1500; de rest betaalt de wijkvereniging.',
    periodStart: '2027-01-01',
    periodEnd: '2027-12-31',
    expectedResults: long(800),
    evidence: 'Deelnemerslijsten en een verhaal per kwartaal.',
  },
};
const draft = { ...app, status: 'draft' as const, reference: undefined, fields: { organisation: 'Stichting Buurtkracht Zwolle' } };
const awarded = {
  ...app,
  status: 'awarded' as const,
  decision: { decisionId: 'd1', outcome: 'awarded' as const, awarded: 12_500, decidedAt: NOW.toISOString() },
  results: { state: 'draft' as const, done: long(300), reached: '40 jongeren', spent: 11_000, updatedAt: NOW.toISOString() },
};
const reported = {
  ...awarded,
  status: 'results_reported' as const,
  results: { ...awarded.results, state: 'submitted' as const, learned: long(200), indicators: 'deelnemers: 42', spent: 12_000, submittedAt: NOW.toISOString() },
};

const criteria = r.criteria.items;
const panel = ['Ingrid Jansen', 'Sanne de Vries', 'Mohamed El Amrani', 'Lotte Mulder'].map((name, i) => ({
  userId: `m${i}`,
  mri: `29:m${i}`,
  name,
  role: (['gemeente', 'partner', 'ervaringsdeskundige', 'partner'] as const)[i]!,
  ...(i % 2 ? { organisation: i === 3 ? 'Stichting Buurtkracht Zwolle' : 'Wijkpartners Zwolle' } : {}),
  addedBy: 'm0',
  addedAt: NOW.toISOString(),
}));
const sheets = panel.slice(0, 3).map((m, i) => ({
  memberId: m.userId,
  criteriaVersion: r.criteria.version,
  scores: Object.fromEntries(
    criteria.map((c, j) => [c.id, j === 2 && i === 1 ? ('na' as const) : Math.min(c.scaleMax, c.scaleMin + ((i + j) % (c.scaleMax - c.scaleMin + 1)))]),
  ),
  comments: Object.fromEntries(criteria.map((c) => [c.id, long(120)])),
  overall: long(300),
  at: NOW.toISOString(),
}));
const reviewApp = { ...app, status: 'in_review' as const };
const reviewCtx = (open: boolean, scored = sheets) => ({
  round: { value: r, etag: 'e' },
  app: { value: reviewApp, etag: 'e' },
  panel,
  bundle: {
    review: { value: { applicationId: reviewApp.id, state: 'posted' as const, claimedAt: '' }, etag: '' },
    sheets: scored.map((s) => ({ value: s, etag: '' })),
    recusals: [],
    questions: [],
  },
  progress: reviewProgress(panel, reviewApp.fields, [], scored),
  sheets: scored,
  result: computeResult(criteria, scored, r.quorum),
  open,
});
/**
 * Hostile text of exactly `n` UTF-16 code units, for fixtures at a field's maximum: emoji
 * (two units, one character), quotes and backslashes (escaped in JSON: two characters each), a
 * newline, a zero-width space and a combining accent. Never a lone surrogate.
 */
/** The most budget lines, every one at its maximum in hostile text and amounts (they do not add up: the difference is shown). */
export const worstBudgetLines = Array.from({ length: BUDGET_LINE_LIMITS.lines }, (_, i) => ({
  description: hostile(BUDGET_LINE_LIMITS.description - 2) + String(i).padStart(2, '0'),
  amount: BUDGET_LINE_LIMITS.euros,
  ownContribution: BUDGET_LINE_LIMITS.euros,
  coFunding: BUDGET_LINE_LIMITS.euros,
}));
/** Row errors on every row and part (the budget step's largest error view). */
export const worstBudgetErrors = Object.fromEntries(
  worstBudgetLines.map((_, i) => [i, { description: 'controlCharacters', amount: 'aboveRequested', own: 'wholeEuros', coFunding: 'negative' } as const]),
);

export function hostile(n: number): string {
  const parts = ['Wij ', '"doen" ', 'het ', '\\ ', 'sámen ', '😀 ', 'e\u0301', '\u200b', 'in ', 'Zwolle\n'];
  let out = '';
  for (let i = 0; out.length < n; i++) {
    const piece = parts[i % parts.length]!;
    out += out.length + piece.length <= n ? piece : 'x'.repeat(n - out.length);
  }
  return out;
}

/** The largest review: 12 criteria, a full panel of 60 who all scored, every text at its maximum, hostile. */
const CRITERIA_MAX = 12;
const worstCriteria = Array.from({ length: CRITERIA_MAX }, (_, i) => ({
  id: `c${i}-${'x'.repeat(40)}`,
  title: hostile(80),
  description: hostile(500),
  weight: 1,
  scaleMin: 0,
  scaleMax: 10,
  minimum: 1,
}));
const worstRound = { ...r, criteria: { version: 2, items: worstCriteria } };
export const worstPanel = Array.from({ length: 60 }, (_, i) => ({
  userId: `u${String(i).padStart(35, '0')}`,
  mri: `29:${'1'.repeat(60)}${i}`,
  name: `${hostile(100)}${i}`,
  role: 'ervaringsdeskundige' as const,
  organisation: hostile(120),
  addedBy: 'x',
  addedAt: NOW.toISOString(),
}));
const worstSheets = worstPanel.map((m) => ({
  memberId: m.userId,
  criteriaVersion: 2,
  scores: Object.fromEntries(worstCriteria.map((c) => [c.id, 10])),
  comments: Object.fromEntries(worstCriteria.map((c) => [c.id, hostile(1000)])),
  overall: hostile(2000),
  revisedAfterSeen: 99,
  at: NOW.toISOString(),
}));
const worstApp = {
  ...newDraft({ id: 'f'.repeat(20), roundId: r.id, applicantId: 'x', now: NOW }),
  status: 'in_review' as const,
  reference: 'LB-2026-0001',
  fields: {
    ...app.fields,
    title: hostile(LIMITS.short),
    organisation: hostile(LIMITS.short),
    question: hostile(LIMITS.long),
    approach: hostile(LIMITS.approach),
    livedExperience: hostile(LIMITS.long),
    expectedResults: hostile(LIMITS.long),
    coApplicants: Array.from({ length: LIMITS.coApplicantsCount }, (_, i) => `${hostile(50)}${i}`),
    amount: 99_999_999,
    budgetLines: worstBudgetLines,
    budgetBreakdown: hostile(LIMITS.long),
  },
};
/** Ten attachments (the most an application has) with names at their maximum and signed links. */
export const worstFiles = Array.from({ length: 10 }, (_, i) => ({
  id: `${i}`.padStart(16, 'f'),
  name: `${hostile(115)}.pdf`.slice(0, 120),
  size: 10 * 1024 * 1024,
  kind: 'pdf' as const,
  document: i % 2 ? 'begroting' : undefined,
  url: `https://leerbudget.zwolle.nl/api/files/LB-2026/${'a'.repeat(20)}/${`${i}`.padStart(16, 'f')}?exp=1798761600&sig=${'x'.repeat(43)}`,
}));
const files = [
  {
    id: 'a1b2c3d4e5f60718',
    name: 'Begroting 2026.xlsx',
    size: 48_213,
    kind: 'xlsx' as const,
    document: 'begroting',
    url: 'https://leerbudget.zwolle.nl/api/files/x',
  },
  { id: 'b1b2c3d4e5f60718', name: 'Projectplan.pdf', size: 1_402_113, kind: 'pdf' as const, document: 'plan', url: 'https://leerbudget.zwolle.nl/api/files/y' },
];
export const worstReviewCtx = (open = true) => ({
  files: worstFiles,
  round: { value: worstRound, etag: 'e' },
  app: { value: worstApp, etag: 'e' },
  panel: worstPanel,
  bundle: {
    review: { value: { applicationId: worstApp.id, state: 'posted' as const, claimedAt: '' }, etag: '' },
    sheets: worstSheets.map((s) => ({ value: s, etag: '' })),
    recusals: [],
    questions: [],
  },
  progress: reviewProgress(worstPanel, worstApp.fields, [], worstSheets),
  sheets: worstSheets,
  result: computeResult(worstCriteria, worstSheets, 3),
  open,
});
const worstMember = { kind: 'member' as const, member: worstPanel[0]!, sheet: { value: worstSheets[0]!, etag: '' } };
/** Every review card a member can see at the largest review, for the size tests. */
/**
 * A round whose own form is at every ceiling (`worstForm`: 8 steps, 40 questions, labels, help and
 * choices at their maxima) and an application answering everything at its maximum, hostile; and
 * one step at its own ceiling (12 questions: own text answers together at `stepAnswerChars`, the
 * rest choices with 12 choices at the longest labels).
 */
const worstOwn = (() => {
  const { form, answers } = worstForm();
  const hostileAnswers = Object.fromEntries(
    Object.entries(answers).map(([k, v]) => [k, typeof v === 'string' && !/^\d{4}-|@|^\+/.test(v) && !/^keuze/.test(v) ? hostile(v.length) : v]),
  );
  // One long text, as many 12-choice questions as the step's budget leaves, dates for the rest.
  const choiceQ = form.steps.flatMap((s) => s.questions).find((q) => q.type === 'multiChoice')!;
  const perChoiceQ = choiceQ.choices!.length * QUESTION_LIMITS.choiceLabel;
  const choiceQs = Math.floor((QUESTION_LIMITS.stepAnswerChars - QUESTION_LIMITS.longText) / perChoiceQ);
  const labelled = {
    label: { nl: hostile(QUESTION_LIMITS.label), en: hostile(QUESTION_LIMITS.label) },
    help: { nl: hostile(QUESTION_LIMITS.help), en: hostile(QUESTION_LIMITS.help) },
  };
  const bigStep: FormStep = {
    id: 'grootste-stap',
    title: { nl: hostile(QUESTION_LIMITS.label), en: hostile(QUESTION_LIMITS.label) },
    questions: Array.from({ length: QUESTION_LIMITS.questionsPerStep }, (_, i): FormQuestion =>
      i === 0
        ? { id: `q${100 + i}`, type: 'longText', ...labelled, required: true, maxLength: QUESTION_LIMITS.longText }
        : i <= choiceQs
          ? { ...choiceQ, id: `q${100 + i}`, ...labelled }
          : { id: `q${100 + i}`, type: 'date', ...labelled, required: true },
    ),
  };
  if (stepAnswerChars(bigStep) > QUESTION_LIMITS.stepAnswerChars) throw new Error('the largest step is above its own ceiling');
  const bigAnswers = Object.fromEntries(
    bigStep.questions.map((q) => [
      q.id,
      q.type === 'longText' ? hostile(QUESTION_LIMITS.longText) : q.type === 'date' ? '2027-12-31' : q.choices!.map((c) => c.id),
    ]),
  );
  const ownRound = { ...worstRound, form: { ...form, steps: [...form.steps.slice(0, QUESTION_LIMITS.steps - 1), bigStep] } };
  const ownApp = { ...worstApp, fields: { ...worstApp.fields, answers: { ...hostileAnswers, ...bigAnswers } } };
  return { form, round: { ...worstRound, form }, bigRound: ownRound, bigStep, app: ownApp };
})();
const worstOwnCtx = (open = true) => ({ ...worstReviewCtx(open), round: { value: worstOwn.round, etag: 'e' }, app: { value: worstOwn.app, etag: 'e' } });

export const worstReviewViews = (lang: Lang): Fixture[] => [
  ['largest: own form at its ceilings, shared', () => reviewCards.reviewCard(lang, worstOwnCtx(), { kind: 'other' })],
  ['largest: own form at its ceilings, member', () => reviewCards.reviewCard(lang, worstOwnCtx(), worstMember)],
  ['largest: own form at its ceilings, the whole application', () => reviewCards.applicationReadCard(lang, worstOwnCtx())],
  ['largest: shared', () => reviewCards.reviewCard(lang, worstReviewCtx(), { kind: 'other' })],
  ['largest: member, own sheet at maxima, with the result', () => reviewCards.reviewCard(lang, worstReviewCtx(), worstMember)],
  [
    'largest: member, typed values and an error on every criterion',
    () =>
      reviewCards.reviewCard(lang, worstReviewCtx(), worstMember, {
        raw: Object.fromEntries(
          worstCriteria.flatMap((c) => [
            [`score_${c.id}`, 'abc'],
            [`comment_${c.id}`, hostile(1000)],
          ]),
        ),
        errors: Object.fromEntries(worstCriteria.map((c) => [`score_${c.id}`, 'required' as const])),
      }),
  ],
  ['largest: member, closed', () => reviewCards.reviewCard(lang, worstReviewCtx(false), worstMember)],
  ['largest: others, page 1', () => reviewCards.othersCard(lang, worstReviewCtx(), worstMember, 1)],
  ['largest: others, page 2', () => reviewCards.othersCard(lang, worstReviewCtx(), worstMember, 2)],
  ['largest: the whole application', () => reviewCards.applicationReadCard(lang, worstReviewCtx())],
];

/** The largest proposal: one approval's cap of 90 lines, hostile titles and names at their maxima, 60 marks with remarks at theirs. */
const worstCandidates = Array.from({ length: 90 }, (_, i) => ({
  applicationId: `${i}`.padStart(20, '0'),
  reference: `LB-2026-${String(i + 1).padStart(4, '0')}`,
  title: hostile(LIMITS.short),
  organisation: `${hostile(LIMITS.short - 3)}${i}`,
  wijk: r.wijken[i % r.wijken.length]!,
  requested: 99_999_999,
  score: 0.3 + (i % 10) / 15,
  knockedOut: i % 17 === 0,
  submittedAt: NOW.toISOString(),
}));
const worstProposal = propose(worstCandidates, { budget: 4_000_000_000, spent: 1, allowPartial: true, concentrationLimit: 0.01 });
const worstCp = {
  round: r,
  snapshot: {} as never,
  proposal: worstProposal,
  fingerprint: fingerprint(worstProposal),
  results: new Map(),
  unlinked: new Map(worstCandidates.map((c) => [c.applicationId, Array.from({ length: LIMITS.coApplicantsCount }, (_, j) => `${hostile(50)}${j}`)])),
};
const worstMarks = worstPanel.map((m) => ({
  fingerprint: worstCp.fingerprint,
  memberId: m.userId,
  name: m.name,
  role: m.role,
  agree: false,
  remark: hostile(500),
  at: '',
}));
/** Amounts typed on every line (the largest the schema lets through), carried from page to page. */
const worstRaw = Object.fromEntries(worstCandidates.map((c) => [`amount_${c.applicationId}`, '9'.repeat(8)]));
export const worstAllocationViews = (lang: Lang): Fixture[] => [
  ...[0, 1, 2, 3, 4, 5].map((page): Fixture => [
    `largest: page ${page + 1}, amounts typed on all 90`,
    () => allocationCards.allocationCard(lang, worstCp, worstMarks, { page, raw: worstRaw }),
  ]),
  [
    'largest: an error on the last line',
    () =>
      allocationCards.allocationCard(lang, worstCp, worstMarks, {
        raw: worstRaw,
        error: { code: 'ABOVE_REQUESTED', applicationId: worstCandidates[89]!.applicationId },
        notice: hostile(500),
      }),
  ],
];
export const worstMarksViews = (lang: Lang): Fixture[] =>
  [1, 2, 3].map((marksPage): Fixture => [
    `largest: the panel's reactions, page ${marksPage}`,
    () => allocationCards.marksCard(lang, worstCp, worstMarks, { page: 1, marksPage, raw: worstRaw }),
  ]);
export const worstPanelViews = (lang: Lang): Fixture[] =>
  [0, 1, 2, 3, 4, 5].map((page): Fixture => [
    `largest: page ${page + 1} of the panel's copy`,
    () => allocationCards.proposalPanelCard(lang, worstCp, worstMarks, { page }),
  ]);

const question = { id: 'q1', applicationId: app.id, askedBy: 'm1', text: 'Hoe bereiken jullie jongeren die nu nergens komen?', askedAt: NOW.toISOString() };

const candidates = Array.from({ length: 8 }, (_, i) => ({
  applicationId: `${i}`.padStart(20, '0'),
  reference: `LB-2026-${String(i + 1).padStart(3, '0')}`,
  title: `Plan ${i + 1} voor de wijk`,
  organisation: i % 3 === 0 ? 'Stichting Buurtkracht Zwolle' : `Organisatie ${i}`,
  wijk: r.wijken[i % r.wijken.length]!,
  requested: 9_000 + i * 500,
  score: 0.55 + (i % 5) / 12,
  knockedOut: i === 6,
  submittedAt: NOW.toISOString(),
}));
const proposal = propose(candidates, { budget: r.budget, spent: 0, allowPartial: true, concentrationLimit: r.concentrationLimit });
const cp = {
  round: r,
  snapshot: {} as never,
  proposal,
  fingerprint: fingerprint(proposal),
  results: new Map(),
  unlinked: new Map([[candidates[1]!.applicationId, ['Travers Welzijn', 'Sportbedrijf Zwolle']]]),
};
const marks = panel.map((m, i) => ({
  fingerprint: cp.fingerprint,
  memberId: m.userId,
  name: m.name,
  role: m.role,
  agree: i !== 2,
  remark: i === 2 ? 'Te veel naar één organisatie.' : '',
  at: NOW.toISOString(),
}));
const awardedLine = {
  applicationId: app.id,
  awarded: 12_500,
  outcome: 'awarded' as const,
  reference: 'LB-2026-007',
  title: 'Samen sterk in Holtenbroek',
  organisation: 'Stichting Buurtkracht Zwolle',
  wijk: 'Holtenbroek',
  requested: 12_500,
  proposed: 12_500,
};
const declinedLine = { ...awardedLine, awarded: 0, outcome: 'declined' as const, reason: 'budget' as const, proposed: 0 };
const decision = {
  id: 'd1',
  roundId: r.id,
  approvedBy: 'm0',
  approvedAt: NOW.toISOString(),
  fingerprint: cp.fingerprint,
  budget: r.budget,
  spentBefore: 0,
  total: 37_500,
  lines: [awardedLine, { ...awardedLine, outcome: 'partial' as const, awarded: 8_000 }, declinedLine],
  marks: { agree: 3, disagree: 1 },
  announced: false,
};

const overview = {
  round: r,
  counts: { draft: 3, submitted: 4, in_review: 2, reviewed: 5, awarded: 3, declined: 2 },
  budget: r.budget,
  awarded: 37_500,
  remaining: 12_500,
  deadlinesAhead: [
    { kind: 'submission' as const, at: r.submissionDeadline },
    { kind: 'review' as const, at: r.reviewDeadline },
    { kind: 'allocationReport' as const, at: r.councilAllocationReportDue },
    { kind: 'resultsReport' as const, at: r.councilResultsReportDue },
  ],
  results: [
    { reference: 'LB-2026-001', title: 'Plan 1', organisation: 'Stichting Buurtkracht Zwolle', reported: true },
    { reference: 'LB-2026-002', title: 'Plan 2', organisation: 'Taalhuis De Brug', reported: false },
  ],
};

const organisations = ['Stichting Buurtkracht Zwolle', 'Wijkpartners Zwolle', 'Taalhuis De Brug', 'Travers Welzijn', 'Sportbedrijf Zwolle'].map((name, i) => ({
  value: {
    id: `org-${String(i).padStart(12, '0')}`,
    name,
    ...(i === 0 ? { kvk: '41234567' } : {}),
    aliases: i === 0 ? ['Buurtkracht'] : [],
    createdBy: 'm0',
    createdAt: NOW.toISOString(),
    source: i === 4 ? ('applicant' as const) : ('accounthouder' as const),
  },
  etag: `W/"o${i}"`,
}));
/** Entries at their largest (150-character name, ten 150-character aliases, a KvK number): a full page is the biggest card. */
const largest = Array.from({ length: 45 }, (_, i) => ({
  value: {
    id: `org-${String(i).padStart(12, 'a')}`,
    name: `${i} ${long(146)}`,
    kvk: '12345678',
    aliases: Array.from({ length: 10 }, (_, j) => `${j} ${long(148)}`),
    createdBy: 'm0',
    createdAt: NOW.toISOString(),
    source: 'applicant' as const,
  },
  etag: `W/"datetime'2026-11-23T09%3A00%3A00.1234567Z'"`,
}));

/** An application with every field at its maximum, in hostile text (the summary and the partner's cards at their largest). */
const hostileApp = {
  ...app,
  reference: 'LB-2026-9999',
  fields: {
    ...app.fields,
    organisation: hostile(LIMITS.short),
    contactName: hostile(LIMITS.name),
    contactEmail: `${'a'.repeat(LIMITS.email - 20)}@buurtkracht.example`,
    contactPhone: '+31 (0)38 123 4567 890 12',
    coApplicants: Array.from({ length: LIMITS.coApplicantsCount }, (_, i) => `${hostile(58)}${i}`),
    title: hostile(LIMITS.short),
    question: hostile(LIMITS.long),
    approach: hostile(LIMITS.approach),
    livedExperience: hostile(LIMITS.long),
    amount: 99_999_999,
    budgetLines: worstBudgetLines,
    budgetBreakdown: hostile(LIMITS.long),
    expectedResults: hostile(LIMITS.long),
    evidence: hostile(LIMITS.long),
  },
};
const hostileOrganisations = largest.map((o, i) => ({
  ...o,
  value: { ...o.value, name: `${i} ${hostile(146)}`, aliases: Array.from({ length: 10 }, (_, j) => `${j} ${hostile(148)}`) },
}));
/** The partner's and the registry's cards at their largest, hostile text at every field maximum. */
export const worstPartnerViews = (lang: Lang): Record<string, Fixture[]> => ({
  stepCard: [
    ...STEPS.map((s): Fixture => [
      `largest: step ${s}, every field at its maximum, errors`,
      () => partnerCards.stepCard(lang, hostileApp, r, s, { errors: { organisation: 'required', amount: 'aboveMax', contactEmail: 'email' } }),
    ]),
    [
      'largest: budget step, 20 hostile rows, an error on every part of every row',
      () =>
        partnerCards.stepCard(lang, hostileApp, r, 'budget', {
          raw: { ...toRawInput(hostileApp.fields) },
          errors: withRowErrors({ budgetLines: 'lineErrors', budgetBreakdown: 'explainDifference', amount: 'aboveMax' }, worstBudgetErrors),
        }),
    ],
    ['largest: budget step after saving 20 hostile lines (totals and the difference)', () => partnerCards.stepCard(lang, hostileApp, r, 'budget')],
    ['budget step, one line, a row added', () => partnerCards.stepCard(lang, { ...hostileApp, fields: { amount: 1000 } }, r, 'budget', { rows: 3 })],
    ...worstOwn.form.steps.map((s): Fixture => [
      `largest: own form at its ceilings, step ${s.id.slice(0, 6)}, every answer at its maximum, an error on each`,
      () =>
        partnerCards.stepCard(lang, worstOwn.app, worstOwn.round, s.id, { errors: Object.fromEntries(s.questions.map((q) => [q.id, 'aboveMax' as const])) }),
    ]),
    [
      'largest: one step at its own ceiling (12 questions, own text answers at stepAnswerChars), an error on each',
      () =>
        partnerCards.stepCard(lang, worstOwn.app, worstOwn.bigRound, worstOwn.bigStep.id, {
          errors: Object.fromEntries(worstOwn.bigStep.questions.map((q) => [q.id, 'unknownChoice' as const])),
        }),
    ],
  ],
  summaryCard: [
    ['largest: every field at its maximum', () => partnerCards.summaryCard(lang, hostileApp, r, hostile(500))],
    [
      'largest: own form at its ceilings, every answer at its maximum, ten files',
      () => partnerCards.summaryCard(lang, worstOwn.app, worstOwn.round, hostile(500), undefined, worstFiles),
    ],
  ],
  myApplicationsCard: [
    [
      'largest: more than a page',
      () =>
        partnerCards.myApplicationsCard(
          lang,
          Array.from({ length: 40 }, (_, i) => ({ ...hostileApp, id: `${hostileApp.id}${i}`, reference: `LB-2026-${9960 + i}` })),
          true,
          hostile(500),
        ),
    ],
  ],
  withdrawConfirmCard: [['largest', () => partnerCards.withdrawConfirmCard(lang, hostileApp)]],
  submittedCard: [['largest', () => partnerCards.submittedCard(lang, hostileApp, false, hostile(LIMITS.short))]],
});
export const worstOrganisationViews = (lang: Lang): Fixture[] => [
  ['largest: hostile entries, page 1', () => organisationCards.organisationsCard(lang, hostileOrganisations, { token: 'token-123456' })],
  ['largest: hostile entries, page 3', () => organisationCards.organisationsCard(lang, hostileOrganisations, { token: 'token-123456', page: 3 })],
  [
    'largest: hostile entries, alias form open',
    () => organisationCards.organisationsCard(lang, hostileOrganisations, { token: 'token-123456', selectedId: hostileOrganisations[1]!.value.id }),
  ],
];

/** A round with 12 criteria at their maxima (hostile text), and an awarded application whose results are at theirs. */
const worstRoundOfCriteria = { ...r, criteria: { version: 3, items: worstCriteria } };
const hostileResults = {
  ...awarded,
  fields: hostileApp.fields,
  results: {
    state: 'draft' as const,
    done: hostile(3000),
    reached: hostile(3000),
    learned: hostile(3000),
    indicators: hostile(3000),
    spent: 99_999_999,
    updatedAt: NOW.toISOString(),
  },
};
export const worstAdminViews = (lang: Lang): Record<string, Fixture[]> => ({
  criteriaCard: [['largest: 12 criteria at their maxima, hostile', () => adminCards.criteriaCard(lang, worstRoundOfCriteria, false)]],
  resultsCard: [['largest: every field at its maximum, hostile', () => resultsCards.resultsCard(lang, hostileResults)]],
});

export type Fixture = [name: string, card: () => Card];

/** Every builder in src/cards, by module and export name: a new builder without a fixture fails the test below. */
/** A page of the `aanvragen` card: every row at the longest texts a partner can type, posted in a channel, closed with a score. */
export function applicationsPage(n: number, total = 10_000): ApplicationsPage {
  const rows: OverviewRow[] = Array.from({ length: n }, (_, i) => ({
    applicationId: i.toString(16).padStart(20, '0'),
    reference: `LB-2026-${String(i + 1).padStart(5, '0')}`,
    status: i % 3 ? 'awarded' : 'in_review',
    organisation: long(LIMITS.short),
    wijk: 'Binnenstad-Diezerpoort',
    title: long(LIMITS.short),
    requested: 15_000,
    ...(i % 3 ? { awarded: 12_500, outcome: 'partial' as const, decidedAt: NOW.toISOString() } : {}),
    review: { state: i % 3 ? 'closed' : 'open', scored: 3, needed: 5, eligible: 58 },
    criteria: {},
    ...(i % 3 ? { overall: 0.8125 } : {}),
    knockedOut: i % 5 === 0,
    knockouts: [],
    recusals: { organisation: 2, declared: 1 },
    results: 'n/a',
    thread: { channelId: '19:' + 'c'.repeat(32) + '@thread.tacv2', activityId: '1732356000000', tenantId: '00000000-0000-4000-8000-000000000001' },
  }));
  return { round: r, filter: {}, rows, total, matched: total, page: 2, pages: Math.ceil(total / 20) };
}

/** Anonymise-now cards: an application with everything to remove, the applicant of three, nothing left, done, already. */
const allKept: KeptItem[] = [
  { what: 'reference', why: 'woo' },
  { what: 'organisation', why: 'woo' },
  { what: 'wijk', why: 'woo' },
  { what: 'amounts', why: 'woo' },
  { what: 'title', why: 'councilReport' },
  { what: 'scores', why: 'councilReport' },
  { what: 'dates', why: 'subsidyFile' },
  { what: 'status', why: 'councilReport' },
];
const everything = {
  applicationFields: [
    'contactName',
    'contactEmail',
    'contactPhone',
    'question',
    'approach',
    'livedExperience',
    'budgetBreakdown',
    'expectedResults',
    'evidence',
    'title',
  ] as const,
  resultsFields: ['done', 'reached', 'learned', 'indicators'] as const,
  comments: 720,
  overallRemarks: 60,
  recusalNotes: 60,
  questions: 1,
  answers: 1,
  applicantPseudonymised: true,
};
const confirmation = (scope: 'application' | 'person', nothing = false): AnonymiseConfirmation => ({
  scope,
  roundId: r.id,
  applicationId: 'a'.repeat(20),
  reference: 'LB-2026-007',
  rev: 4,
  applications: scope === 'person' ? 3 : 1,
  plan: {
    applicationId: 'a'.repeat(20),
    reference: 'LB-2026-007',
    removed: { ...everything, applicationFields: [...everything.applicationFields], resultsFields: [...everything.resultsFields] },
    kept: allKept,
    nothingToRemove: nothing,
  },
});
const outcome = (already: boolean) => ({
  applications: [],
  removed: { ...everything, applicationFields: [...everything.applicationFields], resultsFields: [...everything.resultsFields] },
  kept: allKept,
  auditPseudonymised: already ? 0 : 12,
  already,
});
export const retentionFixtures = (L: Lang): Record<string, Fixture[]> => ({
  anonymiseConfirmCard: [
    ['an application, everything to remove', () => retentionCards.anonymiseConfirmCard(L, confirmation('application'))],
    ['the applicant of three applications', () => retentionCards.anonymiseConfirmCard(L, confirmation('person'))],
    ['stale: the application changed', () => retentionCards.anonymiseConfirmCard(L, confirmation('application'), 'De aanvraag is veranderd sinds deze kaart.')],
    ['nothing left to remove', () => retentionCards.anonymiseConfirmCard(L, confirmation('application', true))],
  ],
  anonymisedCard: [
    ['done, with the audit pseudonymised', () => retentionCards.anonymisedCard(L, 'LB-2026-007', 'person', outcome(false))],
    ['a second press', () => retentionCards.anonymisedCard(L, 'LB-2026-007', 'application', outcome(true))],
  ],
});

export function fixtures(lang: Lang): Record<string, Record<string, Fixture[]>> {
  const L = lang;
  const worstPartner = worstPartnerViews(L);
  const worstAdmin = worstAdminViews(L);
  return {
    'attachment-cards': {
      attachmentsCard: [
        ['received', () => attachmentCards.attachmentsCard(L, { application: app, files, notice: 'Ontvangen: Begroting 2026.xlsx.' })],
        [
          'refused, several drafts',
          () => attachmentCards.attachmentsCard(L, { application: app, files: [], notice: 'offerte.pdf is niet bewaard.', refused: true, drafts: 3 }),
        ],
        ['no draft', () => attachmentCards.attachmentsCard(L, { files: [], notice: 'Je hebt geen aanvraag open.', refused: true })],
        [
          'submitted: no remove buttons',
          () => attachmentCards.attachmentsCard(L, { application: { ...app, status: 'submitted' }, files, notice: 'Al ingediend.', refused: true }),
        ],
        [
          'largest: ten files at the longest names',
          () => attachmentCards.attachmentsCard(L, { application: hostileApp, files: worstFiles, notice: hostile(2000), drafts: 2 }),
        ],
      ],
    },
    'partner-cards': {
      welcomeCard: [
        ['open round', () => partnerCards.welcomeCard(L, { round: r, window: 'open' })],
        ['no round, with notice', () => partnerCards.welcomeCard(L, undefined, 'Dat begreep ik niet.')],
        ['closed round', () => partnerCards.welcomeCard(L, { round: r, window: 'deadline-passed' })],
        ['draft round, consultation open', () => partnerCards.welcomeCard(L, undefined, '', { roundId: r.id, closesAt: r.submissionDeadline })],
        [
          'open round, consultation open',
          () => partnerCards.welcomeCard(L, { round: r, window: 'open' }, '', { roundId: r.id, closesAt: r.submissionDeadline }),
        ],
        [
          'two open rounds: each its own button',
          () =>
            partnerCards.welcomeCard(L, { round: r, window: 'open' }, '', undefined, [
              { round: r, window: 'open' },
              { round: { ...r, id: 'LBN-2026', referencePrefix: 'LBN', name: 'Leerbudget najaar 2026', budget: 20_000 }, window: 'open' },
            ]),
        ],
        [
          'largest: the most open rounds, names at their maximum, consultation open',
          () =>
            partnerCards.welcomeCard(
              L,
              { round: r, window: 'open' },
              hostile(500),
              { roundId: r.id, closesAt: r.submissionDeadline },
              Array.from({ length: 30 }, (_, i) => ({
                // Names at their maximum, each its own (two rounds of one name would give two buttons of one name).
                round: { ...r, id: `L${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 26]}-2026`, name: `${i + 1} ${hostile(116)}`, budget: 10_000_000 },
                window: 'open' as const,
              })),
            ),
        ],
      ],
      eligibilityCard: [
        ['empty', () => partnerCards.eligibilityCard(L, 'token-123456')],
        ['with error', () => partnerCards.eligibilityCard(L, 'token-123456', { partnerInSocialeBasis: 'yes' }, true)],
        ['for a chosen round', () => partnerCards.eligibilityCard(L, 'token-123456', {}, false, 'LBN-2026')],
      ],
      notEligibleCard: [['three reasons', () => partnerCards.notEligibleCard(L, ['partnerInSocialeBasis', 'activeInMunicipality', 'collectiveAnswer'])]],
      stepCard: STEPS.map((s): Fixture => [
        `step ${s} with errors`,
        () => partnerCards.stepCard(L, app, r, s, { errors: { organisation: 'required', amount: 'aboveMax', contactEmail: 'email' } }),
      ]).concat(worstPartner.stepCard!),
      summaryCard: [
        ['full application', () => partnerCards.summaryCard(L, app, r)],
        ['with two attachments', () => partnerCards.summaryCard(L, app, r, '', undefined, files)],
        ['with ten attachments at the longest names', () => partnerCards.summaryCard(L, hostileApp, r, hostile(500), undefined, worstFiles)],
        ['found in the registry', () => partnerCards.summaryCard(L, app, r, '', { kind: 'found', name: 'Stichting Buurtkracht Zwolle' })],
        [
          'more than one fits',
          () => partnerCards.summaryCard(L, app, r, '', { kind: 'ambiguous', candidates: ['Stichting Buurtkracht Zwolle', 'Buurtkracht Kampen'] }),
        ],
        ...worstPartner.summaryCard!,
      ],
      submittedCard: [
        ['first time', () => partnerCards.submittedCard(L, app, false, 'Stichting Buurtkracht Zwolle')],
        ['again', () => partnerCards.submittedCard(L, app, true)],
        ...worstPartner.submittedCard!,
      ],
      myApplicationsCard: [
        ['empty', () => partnerCards.myApplicationsCard(L, [], true)],
        [
          '20 mixed',
          () =>
            partnerCards.myApplicationsCard(
              L,
              // Twenty different applications (each button names the one it acts on).
              Array.from({ length: 20 }, (_, i) => {
                const a = [app, draft, awarded, reported][i % 4]!;
                const n = String(i + 1).padStart(3, '0');
                return { ...a, id: n.padStart(20, 'c'), ...(a.reference ? { reference: `LB-2026-${n}` } : {}), fields: { ...a.fields, title: `Plan ${n}` } };
              }),
              true,
              'Je aanvraag LB-2026-007 is ingetrokken.',
            ),
        ],
        [
          'two rounds: the round on each line',
          () =>
            partnerCards.myApplicationsCard(
              L,
              [app, { ...draft, roundId: 'LBN-2026' }],
              true,
              '',
              new Map([
                [r.id, r.name],
                ['LBN-2026', 'Leerbudget najaar 2026'],
              ]),
            ),
        ],
        [
          'largest: more than a page, each in a round with a name at its maximum',
          () =>
            partnerCards.myApplicationsCard(
              L,
              Array.from({ length: 40 }, (_, i) => ({ ...hostileApp, id: `${hostileApp.id}${i}`, reference: `LB-2026-${9960 + i}` })),
              true,
              hostile(500),
              new Map([[r.id, hostile(120)]]),
            ),
        ],
        ...worstPartner.myApplicationsCard!,
      ],
      withdrawConfirmCard: [['submitted', () => partnerCards.withdrawConfirmCard(L, app)], ...worstPartner.withdrawConfirmCard!],
    },
    notice: {
      noticeCard: [['notice', () => notice.noticeCard(L, 'Titel', 'Tekst')]],
    },
    'organisation-cards': {
      organisationsCard: [
        ['empty registry', () => organisationCards.organisationsCard(L, [], { token: 'token-123456' })],
        [
          'five entries, one added',
          () => organisationCards.organisationsCard(L, organisations, { token: 'token-123456', notice: 'Taalhuis De Brug staat nu in het register.' }),
        ],
        [
          'add form with errors',
          () =>
            organisationCards.organisationsCard(L, organisations, {
              token: 'token-123456',
              raw: { name: 'Stichting', kvk: '123', aliases: 'Buurtkracht' },
              errors: { name: 'noName', kvk: 'kvkFormat', aliases: 'tooMany' },
            }),
        ],
        [
          'alias form with a refusal',
          () =>
            organisationCards.organisationsCard(L, organisations, {
              token: 'token-123456',
              selectedId: organisations[1]!.value.id,
              alias: { value: 'Buurtkracht', error: 'Deze naam hoort al bij een andere organisatie: Stichting Buurtkracht Zwolle.' },
              notice: 'Deze naam is niet opgeslagen.',
              noticeKind: 'error',
            }),
        ],
        ['largest entries, page 2 of 3', () => organisationCards.organisationsCard(L, largest, { token: 'token-123456', page: 2 })],
        [
          'largest entries, alias form open',
          () => organisationCards.organisationsCard(L, largest, { token: 'token-123456', selectedId: largest[44]!.value.id }),
        ],
        ...worstOrganisationViews(L),
      ],
    },
    'review-cards': {
      reviewCard: [
        ['shared (not on panel)', () => reviewCards.reviewCard(L, reviewCtx(true), { kind: 'other' })],
        ['member, not scored yet', () => reviewCards.reviewCard(L, reviewCtx(true, []), { kind: 'member', member: panel[0]! })],
        [
          'member after scoring, quorum',
          () => reviewCards.reviewCard(L, reviewCtx(true), { kind: 'member', member: panel[0]!, sheet: { value: sheets[0]!, etag: '' } }),
        ],
        [
          'member with errors',
          () => reviewCards.reviewCard(L, reviewCtx(true, []), { kind: 'member', member: panel[1]! }, { errors: { [`score_${criteria[0]!.id}`]: 'required' } }),
        ],
        [
          'recused',
          () =>
            reviewCards.reviewCard(L, reviewCtx(true), {
              kind: 'recused',
              member: panel[3]!,
              recusal: { memberId: 'm3', reason: 'organisation', at: NOW.toISOString() },
            }),
        ],
        [
          'closed, own scores',
          () => reviewCards.reviewCard(L, reviewCtx(false), { kind: 'member', member: panel[0]!, sheet: { value: sheets[0]!, etag: '' } }),
        ],
        ...worstReviewViews(L).filter(([name]) => !/others|whole/.test(name)),
        ...changeReviewViews(L),
      ],
      othersCard: [
        [
          'two others, after scoring',
          () => reviewCards.othersCard(L, reviewCtx(true), { kind: 'member', member: panel[0]!, sheet: { value: sheets[0]!, etag: '' } }),
        ],
        ['not scored yet: nobody shown', () => reviewCards.othersCard(L, reviewCtx(true), { kind: 'member', member: panel[3]! })],
        ...worstReviewViews(L).filter(([name]) => /others/.test(name)),
      ],
      applicationReadCard: [
        ['the whole application', () => reviewCards.applicationReadCard(L, reviewCtx(true))],
        ...worstReviewViews(L).filter(([name]) => /whole/.test(name)),
      ],
      stuckCard: [
        ['none', () => reviewCards.stuckCard(L, { roundId: r.id, roundName: r.name, items: [] })],
        [
          'two stuck, with a notice',
          () =>
            reviewCards.stuckCard(L, {
              roundId: r.id,
              roundName: r.name,
              items: [
                reviewCtx(true, []),
                ((c) => ({ ...c, app: { ...c.app, value: { ...c.app.value, id: 'b'.repeat(20), reference: 'LB-2026-002' } } }))(reviewCtx(true)),
              ],
              notice: 'Kies een datum in de toekomst.',
            }),
        ],
      ],
      panelCard: [
        [
          'four members',
          () =>
            reviewCards.panelCard(L, {
              roundName: r.name,
              members: panel,
              accounthouders: new Set(['m0']),
              candidates: [
                { userId: 'x1', name: 'Peter Smit' },
                { userId: 'm0', name: 'Ingrid Jansen' },
              ],
            }),
        ],
      ],
      questionCard: [
        ['open', () => reviewCards.questionCard(L, app, question)],
        ['answered', () => reviewCards.questionCard(L, app, { ...question, answer: 'Via het jongerenwerk.', answeredAt: NOW.toISOString() }, 'Verstuurd')],
      ],
    },
    'admin-cards': {
      roundSettingsCard: [
        ['open round', () => adminCards.roundSettingsCard(L, { value: r, etag: 'e' }, { nextYear: r.year + 1 })],
        ['with errors', () => adminCards.roundSettingsCard(L, { value: r, etag: 'e' }, { errors: { budget: 'wholeEuros', name: 'required' } })],
        [
          'own retention terms, one refused',
          () =>
            adminCards.roundSettingsCard(
              L,
              { value: { ...r, retention: { notAwardedMonths: 6, draftMonths: 3, awardedYears: 10 } }, etag: 'e' },
              { raw: { retentionAwardedYears: '0' }, errors: { retentionAwardedYears: 'retentionTerm' } },
            ),
        ],
      ],
      roundCloseConfirmCard: [['close', () => adminCards.roundCloseConfirmCard(L, r)]],
      noRoundCard: [['no round', () => adminCards.noRoundCard(L, 2027)]],
      criteriaCard: [
        ['editable', () => adminCards.criteriaCard(L, r, false)],
        ['frozen', () => adminCards.criteriaCard(L, r, true)],
        ...worstAdmin.criteriaCard!,
      ],
    },
    'round-cards': {
      roundChooserCard: [
        [
          'two live rounds',
          () => roundCards.roundChooserCard(L, [r, { ...r, id: 'LBN-2026', name: 'Leerbudget najaar 2026', status: 'draft' }], 'ronde', 'ronde'),
        ],
        [
          'largest: more rounds than shown, names at their maximum',
          () =>
            roundCards.roundChooserCard(
              L,
              Array.from({ length: 40 }, (_, i) => ({ ...r, id: `L${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 26]}-${2030 + i}`, name: hostile(120) })),
              'exportNamen',
              'export met namen',
            ),
        ],
      ],
      roundNotFoundCard: [['not found', () => roundCards.roundNotFoundCard(L)]],
      newRoundCard: [
        ['empty, copy from the latest', () => roundCards.newRoundCard(L, { token: 'token-123456', rounds: [r], year: 2026 })],
        [
          'prefix taken',
          () =>
            roundCards.newRoundCard(L, {
              token: 'token-123456',
              rounds: [r],
              year: 2026,
              raw: { name: 'Leerbudget najaar', prefix: 'LB', year: '2026', copyFrom: r.id },
              errors: { prefix: 'prefixTaken' },
            }),
        ],
        ['no round yet', () => roundCards.newRoundCard(L, { token: 'token-123456', rounds: [], year: 2026 })],
        [
          'largest: every round to copy from, names at their maximum, every error',
          () =>
            roundCards.newRoundCard(L, {
              token: 'token-123456',
              rounds: Array.from({ length: 40 }, (_, i) => ({ ...r, id: `L${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[i % 26]}-${2030 + i}`, name: hostile(120) })),
              year: 2026,
              raw: { name: hostile(240), prefix: hostile(12), year: hostile(8) },
              errors: { name: 'tooLong', prefix: 'prefixLetters', year: 'year' },
              notice: hostile(500),
            }),
        ],
      ],
    },
    'allocation-cards': {
      allocationCard: [
        ['proposal of 8 with marks', () => allocationCards.allocationCard(L, cp, marks)],
        ['over budget', () => allocationCards.allocationCard(L, cp, [], { error: { code: 'OVER_BUDGET', total: 60_000, available: 50_000 } })],
        ...worstAllocationViews(L),
      ],
      proposalPanelCard: [['for the panel', () => allocationCards.proposalPanelCard(L, cp, marks)], ...worstPanelViews(L)],
      marksCard: [['four reactions', () => allocationCards.marksCard(L, cp, marks, { page: 0, marksPage: 1 })], ...worstMarksViews(L)],
      decisionCard: [
        ['awarded', () => allocationCards.decisionCard(L, awardedLine, r, computeResult(criteria, sheets, r.quorum), [])],
        [
          'declined with panel summary',
          () => allocationCards.decisionCard(L, declinedLine, r, computeResult(criteria, sheets, r.quorum), ['Mooi plan, maar het budget is op.']),
        ],
      ],
      decisionSummaryCard: [['three lines', () => allocationCards.decisionSummaryCard(L, decision)]],
    },
    'retention-cards': retentionFixtures(L),
    'change-request-cards': changeFixtures(L),
    'privacy-cards': {
      myDataCard: [['counts and links', () => privacyCards.myDataCard(L, personalData, personalLinks)]],
      deleteConfirmCard: [
        ['confirm', () => privacyCards.deleteConfirmCard(L, deletionPlanFixture)],
        [
          'nothing to remove',
          () =>
            privacyCards.deleteConfirmCard(L, {
              applications: 0,
              removed: { ...deletionPlanFixture.removed, applicationFields: [], comments: 0, questions: 0, answers: 0, applicantPseudonymised: false },
              kept: [],
            }),
        ],
        ['just sent', () => privacyCards.deleteConfirmCard(L, deletionPlanFixture, openRequest, true)],
        ['already open', () => privacyCards.deleteConfirmCard(L, deletionPlanFixture, openRequest)],
      ],
      requestCard: [
        ['open', () => privacyCards.requestCard(L, { requestId: REQ, request: openRequest, plan: deletionPlanFixture, name: 'Anouk Bakker' })],
        [
          'reason missing, typed kept',
          () =>
            privacyCards.requestCard(
              L,
              { requestId: REQ, request: openRequest, plan: deletionPlanFixture },
              { notice: 'Schrijf waarom.', reason: hostile(1000) },
            ),
        ],
        [
          'refused',
          () =>
            privacyCards.requestCard(
              L,
              {
                requestId: REQ,
                request: { ...openRequest, state: 'refused', rev: 2, decidedAt: NOW.toISOString(), reason: hostile(1000) },
                plan: deletionPlanFixture,
                name: hostile(100),
              },
              { who: hostile(100) },
            ),
        ],
        [
          'approved',
          () =>
            privacyCards.requestCard(
              L,
              {
                requestId: REQ,
                request: {
                  ...openRequest,
                  state: 'approved',
                  rev: 3,
                  decidedAt: NOW.toISOString(),
                  outcome: {
                    applications: 2,
                    removed: {
                      applicationFields: ['contactName', 'contactEmail', 'question', 'approach'],
                      resultsFields: ['done', 'learned'],
                      comments: 3,
                      overallRemarks: 1,
                      recusalNotes: 1,
                      questions: 2,
                      answers: 1,
                      applicantPseudonymised: true,
                    },
                    auditRecords: 12,
                    kept: ['amounts', 'wijk'],
                  },
                },
                plan: deletionPlanFixture,
              },
              { who: 'Accounthouder' },
            ),
        ],
      ],
      requestsCard: [
        ['none', () => privacyCards.requestsCard(L, [])],
        [
          'thirty with hostile names',
          () =>
            privacyCards.requestsCard(
              L,
              Array.from({ length: 40 }, (_, i) => ({ requestId: REQ, request: openRequest, name: `${hostile(100)}${i}` })),
            ),
        ],
      ],
      logbookCard: [
        ['a page', () => privacyCards.logbookCard(L, logbookPageFixture(20, 'Anouk Bakker', 5), personalLinks)],
        [
          'nothing, unknown reference',
          () => privacyCards.logbookCard(L, { ...logbookPageFixture(0, 'x', 0), unknownReference: hostile(40) }, personalLinks, hostile(80)),
        ],
        ['worst: 150 hostile names, 20 long lines', () => privacyCards.logbookCard(L, logbookPageFixture(20, hostile(200), 150, 3000), personalLinks)],
      ],
    },
    'applications-cards': {
      applicationsCard: [
        ['a full page at the longest texts', () => applicationsCards.applicationsCard(L, applicationsPage(20))],
        [
          'nothing matches',
          () => applicationsCards.applicationsCard(L, { ...applicationsPage(0), filter: { status: 'awarded', wijk: 'Holtenbroek', organisation: 'xyz' } }),
        ],
      ],
      exportCard: [
        [
          'counts',
          () =>
            applicationsCards.exportCard(
              L,
              r,
              { url: 'https://bot.example.nl/api/reports/LB-2026/overzicht.xlsx?exp=1&sig=x', expiresAt: NOW.toISOString() },
              false,
            ),
        ],
        [
          'named',
          () =>
            applicationsCards.exportCard(
              L,
              r,
              { url: 'https://bot.example.nl/api/reports/LB-2026/overzicht-namen.xlsx?exp=1&sig=x', expiresAt: NOW.toISOString() },
              true,
            ),
        ],
      ],
    },
    'results-cards': {
      resultsCard: [
        ['draft', () => resultsCards.resultsCard(L, awarded)],
        ['submitted', () => resultsCards.resultsCard(L, reported)],
        ...worstAdmin.resultsCard!,
      ],
      overviewCard: [['round overview', () => resultsCards.overviewCard(L, overview)]],
    },
    'admin-routes': {
      forbiddenCard: [['refusal', () => forbiddenCard(L)]],
    },
  };
}

/** Modules other sessions are still adding: checked when present, with their own fixtures. */
export async function optionalFixtures(lang: Lang): Promise<Record<string, Record<string, Fixture[]>>> {
  const out: Record<string, Record<string, Fixture[]>> = {};
  if (existsSync(resolve('src/cards/reminder-cards.ts'))) {
    const m = (await import('../../src/cards/reminder-cards')) as Record<string, unknown>;
    const reminderCard = m.reminderCard as ((lang: Lang, input: object) => Card) | undefined;
    const kinds = ['council.allocation', 'council.results', 'panel.unscored', 'draft.unsubmitted', 'results.missing'];
    const items = Array.from({ length: 25 }, (_, i) => ({
      applicationId: `a${i}`,
      reference: `LB-2026-${String(i + 1).padStart(3, '0')}`,
      title: `Plan ${i + 1}`,
    }));
    const reminder = (kind: string) => ({
      id: `r-${kind}`,
      roundId: r.id,
      kind,
      at: NOW.toISOString(),
      deadline: r.councilResultsReportDue,
      offsetDays: 7,
      audienceKey: 'council',
      recipients: [],
      items,
    });
    out['reminder-cards'] = {
      reminderCard: reminderCard
        ? kinds.flatMap((kind): Fixture[] => [
            [`${kind} (personal)`, () => reminderCard(lang, { reminder: reminder(kind), round: r, recipient: { type: 'user', userId: 'm0' }, now: NOW })],
            [`${kind} (channel)`, () => reminderCard(lang, { reminder: reminder(kind), round: r, recipient: { type: 'channel' }, now: NOW })],
          ])
        : [],
    };
  }
  if (existsSync(resolve('src/cards/report-cards.ts')) && existsSync(resolve('tests/support/report-round.ts'))) {
    // Loosely typed on purpose: these modules are being written while this test is.
    const m = (await import('../../src/cards/report-cards')) as unknown as Record<string, (lang: Lang, data: unknown, links: unknown) => Card>;
    const report = (await import('../../src/domain/council-report')) as unknown as Record<string, (snapshot: unknown, now: Date) => unknown>;
    const { reportLinker } = (await import('../../src/reports/links')) as unknown as {
      reportLinker: (o: object) => { links: (roundId: string, kind: string, now: Date) => unknown };
    };
    const { reportRound } = await import('../support/report-round');
    const snapshot = await (await reportRound()).snapshot();
    const linker = reportLinker({ publicUrl: 'https://bot.example.nl', linkSecret: 'fixture-secret' });
    out['report-cards'] = {
      allocationReportCard: [
        ['round with decision', () => m.allocationReportCard!(lang, report.allocationReportData!(snapshot, NOW), linker.links('LB-2026', 'allocation', NOW))],
      ],
      resultsReportCard: [
        ['results season', () => m.resultsReportCard!(lang, report.resultsReportData!(snapshot, NOW), linker.links('LB-2026', 'results', NOW))],
      ],
    };
  }
  if (existsSync(resolve('src/cards/consultation-cards.ts'))) {
    const m = (await import('../../src/cards/consultation-cards')) as unknown as Record<string, (...args: unknown[]) => Card>;
    const consultation = {
      roundId: r.id,
      draft: r.criteria,
      closesAt: r.submissionDeadline,
      status: 'open',
      invited: [
        { userId: 'm1', name: 'Sanne de Vries', role: 'partner' },
        { userId: 'm2', role: 'onbekend' },
      ],
      audience: 'everyone',
      notReached: { noConversation: 3, overLimit: 2 },
      startedBy: 'm0',
      startedAt: NOW.toISOString(),
    };
    const response = {
      userId: 'm1',
      role: 'partner',
      perCriterion: { [criteria[0]!.id]: { kind: 'endorse' }, [criteria[1]!.id]: { kind: 'change', change: { weight: 2 }, reason: 'Dit weegt zwaarder.' } },
      newCriteria: [],
      updatedAt: NOW.toISOString(),
    };
    const unknown = { ...response, userId: 'x1', role: 'onbekend', perCriterion: { [criteria[0]!.id]: { kind: 'endorse' } } };
    const state = {
      consultation: { value: consultation, etag: 'e' },
      responses: [
        { value: response, etag: 'e' },
        { value: unknown, etag: 'e' },
      ],
      decisions: {},
    };
    out['consultation-cards'] = {
      consultationAdminCard: [
        ['none yet', () => m.consultationAdminCard!(lang, r, undefined, false)],
        ['open, two responses, one of unknown role, some not reached', () => m.consultationAdminCard!(lang, r, state, false)],
        ['just started', () => m.consultationAdminCard!(lang, r, { ...state, responses: [] }, false, { started: true })],
      ],
      consultationRespondCard: [
        ['opened, role unknown', () => m.consultationRespondCard!(lang, consultation, { now: NOW, role: 'onbekend' })],
        ['with a response', () => m.consultationRespondCard!(lang, consultation, { now: NOW, response, role: 'partner' })],
        ['closed', () => m.consultationRespondCard!(lang, { ...consultation, status: 'published' }, { now: NOW, response, role: 'partner' })],
      ],
      consultationInviteCard: [['invitation', () => m.consultationInviteCard!(lang, consultation)]],
    };
    // The largest views: 12 criteria at their maxima, a response that changes every one with reasons at their maxima, hostile text
    // (the respond card then shortens the criteria's descriptions, never what the person typed).
    const worstConsultation = { ...consultation, draft: worstRoundOfCriteria.criteria };
    const worstResponse = {
      ...response,
      perCriterion: Object.fromEntries(
        worstCriteria.map((c) => [
          c.id,
          { kind: 'change', change: { title: hostile(80), description: hostile(500), weight: 10 }, reason: hostile(CONSULTATION_LIMITS.reason) },
        ]),
      ),
      newCriteria: [{ title: hostile(80), description: hostile(500), weight: 10, reason: hostile(CONSULTATION_LIMITS.reason) }],
    };
    out['consultation-cards'] = {
      ...out['consultation-cards'],
      consultationAdminCard: [
        ...out['consultation-cards']!.consultationAdminCard!,
        [
          'largest: every criterion changed, hostile maxima',
          () =>
            m.consultationAdminCard!(
              lang,
              worstRoundOfCriteria,
              { ...state, consultation: { value: worstConsultation, etag: 'e' }, responses: [{ value: worstResponse, etag: 'e' }] },
              false,
            ),
        ],
      ],
      consultationRespondCard: [
        ...out['consultation-cards']!.consultationRespondCard!,
        [
          'largest: every criterion changed, hostile maxima',
          () => m.consultationRespondCard!(lang, worstConsultation, { now: NOW, response: worstResponse, role: 'partner' }),
        ],
      ],
    };
  }
  return out;
}

const REQ = 'del-0123456789abcdef0123';
const openRequest = { userId: '00000000-0000-4000-8000-000000000001', rev: 1, state: 'open' as const, requestedAt: NOW.toISOString(), lang: 'nl' as const };
const deletionPlanFixture = {
  applications: 2,
  removed: {
    applicationFields: ['contactName', 'contactEmail', 'contactPhone', 'question', 'approach'] as (
      'contactName' | 'contactEmail' | 'contactPhone' | 'question' | 'approach'
    )[],
    resultsFields: ['done' as const],
    comments: 3,
    overallRemarks: 1,
    recusalNotes: 1,
    questions: 2,
    answers: 2,
    applicantPseudonymised: true,
  },
  kept: [
    { what: 'amounts' as const, why: 'woo' as const },
    { what: 'wijk' as const, why: 'woo' as const },
    { what: 'organisation' as const, why: 'woo' as const },
    { what: 'dates' as const, why: 'subsidyFile' as const },
  ],
};
const personalLinks = {
  readable: 'https://bot.example.nl/api/my-data/mijn-gegevens.md?p=x&exp=1&sig=x',
  json: 'https://bot.example.nl/api/my-data/mijn-gegevens.json?p=x&exp=1&sig=x',
  url: 'https://bot.example.nl/api/logbook/logboek.csv?exp=1&sig=x',
  expiresAt: NOW.toISOString(),
};
const personalData = {
  userId: openRequest.userId,
  generatedAt: NOW.toISOString(),
  sections: {
    contact: [],
    application: [],
    review: { sheets: [], recusals: [], questions: [], marks: [] },
    consultation: [],
    people: { userId: openRequest.userId, names: [], panel: [] },
    organisations: [],
    audit: [],
    messages: [],
    requests: [],
    attachments: [],
  },
};
const logbookPageFixture = (rows: number, name: string, people: number, matched = rows) => ({
  filter: { lang: 'nl' as const },
  rows: Array.from({ length: rows }, (_, i) => ({
    at: NOW.toISOString(),
    roundId: 'LB-2026',
    action: (i % 2 ? 'review.scored' : 'panel.member-added') as 'review.scored' | 'panel.member-added',
    who: { kind: 'person' as const, name },
    subject: i % 2 ? { kind: 'application' as const, reference: 'LB-2026-0001' } : { kind: 'person' as const, name },
  })),
  matched,
  page: 1,
  pages: Math.max(1, Math.ceil(matched / 20)),
  people: Array.from({ length: people }, (_, i) => ({ userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: `${name}${i}` })),
  peopleCut: people >= 150 ? 12 : 0,
});

/** A change request at every maximum: the note at 1000 hostile characters, every field changed against a hostile snapshot. */
const worstChange = (state: 'waiting' | 'back' | 'expired'): ChangeRequest => {
  const snapshot = Object.fromEntries(
    Object.entries(worstApp.fields).map(([k, v]) => [
      k,
      typeof v === 'string'
        ? hostile(v.length)
            .split('')
            .reverse()
            .join('')
            .replace(/[\ud800-\udfff]/g, 'x')
        : Array.isArray(v)
          ? v.map((x) => `${x}!`)
          : typeof v === 'number'
            ? v - 1
            : v,
    ]),
  );
  return {
    id: 'ab12cd34',
    note: hostile(1000),
    requestedBy: 'boss',
    requestedAt: '2026-12-03T10:00:00.000Z',
    dueBy: '2026-12-10T23:00:00.000Z',
    from: 'in_review',
    snapshot,
    ...(state === 'back' ? { resubmittedAt: '2026-12-05T10:00:00.000Z', changed: Object.keys(worstApp.fields) } : {}),
    ...(state === 'expired' ? { expiredAt: '2026-12-10T23:05:00.000Z', changed: [] } : {}),
  };
};
const changedApp = (state: 'waiting' | 'back' | 'expired') => ({
  ...worstApp,
  status: state === 'waiting' ? ('changes_requested' as const) : ('in_review' as const),
  changeRequest: worstChange(state),
});
const changeView = (state: 'waiting' | 'back' | 'expired') => ({
  application: changedApp(state),
  reviewDeadline: '2027-01-15T16:00:00.000Z',
  days: { latest: '2027-01-14', suggested: '2026-11-30', earliest: '2026-11-23' },
});
const changeReviewCtx = (state: 'waiting' | 'back' | 'expired') => ({ ...worstReviewCtx(state !== 'waiting'), app: { value: changedApp(state), etag: 'e' } });
/** The review card with a change request: waiting, back with every field changed (the member's scores marked), expired. */
export const changeReviewViews = (L: Lang): Fixture[] => [
  ['largest: member, scores before the change, every field changed', () => reviewCards.reviewCard(L, changeReviewCtx('back'), worstMember)],
  ['largest: shared, waiting for the changes', () => reviewCards.reviewCard(L, changeReviewCtx('waiting'), { kind: 'other' })],
  ['largest: member, expired', () => reviewCards.reviewCard(L, changeReviewCtx('expired'), worstMember)],
];
export const changeFixtures = (L: Lang): Record<string, Fixture[]> => ({
  changeRequestCard: [
    ['the form, empty', () => changeCards.changeRequestCard(L, changeView('waiting'))],
    [
      'a proposal with the note at its maximum, and both errors',
      () =>
        changeCards.changeRequestCard(L, changeView('waiting'), {
          note: hostile(1000),
          dueDate: '2027-02-01',
          proposalRole: 'ervaringsdeskundige',
          errors: { note: 'tooLong', dueDate: 'afterDeadline' },
        }),
    ],
    ['already sent', () => changeCards.changeRequestCard(L, changeView('waiting'), { closed: true, notice: 'Al gevraagd.', noticeKind: 'info' })],
  ],
  changeApplicantCard: [['the note at its maximum', () => changeCards.changeApplicantCard(L, changedApp('waiting'))]],
  changeDiffCard: [
    ['every field changed, hostile at every maximum', () => changeCards.changeDiffCard(L, changedApp('back'))],
    ['not back yet', () => changeCards.changeDiffCard(L, changedApp('waiting'))],
  ],
});

export const MODULES: Record<string, Record<string, unknown>> = {
  'change-request-cards': changeCards,
  'attachment-cards': attachmentCards,
  'partner-cards': partnerCards,
  notice,
  'organisation-cards': organisationCards,
  'review-cards': reviewCards,
  'admin-cards': adminCards,
  'allocation-cards': allocationCards,
  'results-cards': resultsCards,
  'applications-cards': applicationsCards,
  'retention-cards': retentionCards,
  'privacy-cards': privacyCards,
  'form-cards': formCards,
};

/** Every fixture of every builder, in one language. */
export async function allFixtures(lang: Lang): Promise<Record<string, Record<string, Fixture[]>>> {
  return { ...fixtures(lang), ...(await optionalFixtures(lang)), ...formFixtures(lang, hostile) };
}
