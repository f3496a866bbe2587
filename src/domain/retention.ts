import type { Application, ApplicationFields, OrganisationLinks } from './application';
import { BudgetLine, linesWithoutTexts } from './budget-lines';
import type { ConsultationResponse, CriterionResponse } from './consultation';
import type { PanelMark } from './decision';
import type { Recusal } from './panel';
import type { ResultsReport } from './results';
import type { Question, ReviewBundle, ReviewRecord } from './review';
import type { Round } from './round';
import { amsterdamDay, amsterdamInstant, isRealDay } from './round-settings';
import type { ScoreSheet } from './scoring';
import { DEFAULT_RETENTION, RetentionTerms } from './retention-terms';

/**
 * Retention (bewaartermijnen) and anonymisation, pure. A round's terms say how long the people in
 * its applications stay in the record; when a term passes the application is anonymised once:
 * what names or describes people goes, what the council reports, the overview workbook and the
 * Woo list read stays, so every report built afterwards gives the same numbers.
 *
 * Every term ends at the end of an Amsterdam calendar day: the start's day plus the term (a day
 * that does not exist, 31 April, becomes the month's last day), until 00:00 Amsterdam time on the
 * day after, whatever the DST changes in between.
 */

export { DEFAULT_RETENTION, RETENTION_FIELDS, RETENTION_LIMITS } from './retention-terms';
export type { RetentionTerms } from './retention-terms';

/**
 * Terms that are not per round (the same for the whole deployment), in days or months. Documented
 * in the processing register; kept here so the register's sentences are computed from them.
 */
export const FIXED_TERMS = {
  /** Sent messages (outbox rows with the rendered card): days after sending. */
  sentMessageDays: 30,
  /** Panel membership, consultation responses, the round's actor ids in the audit: months after the year-end report's deadline. */
  peopleMonths: 12,
  /** Texts of consultation responses and the names in its invitations: months after the consultation was published (decided). */
  consultationMonths: 12,
  /** Where the bot reaches someone (1:1 chat, roster address): months after it was last updated. */
  addressMonths: 24,
  /** Leases: they expire after minutes and are replaced, never kept. */
  leaseMinutes: 2,
} as const;

export function retentionOf(round: Pick<Round, 'retention'>): RetentionTerms {
  return { ...DEFAULT_RETENTION, ...(round.retention ?? {}) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar day `months` after `day` (YYYY-MM-DD), clamped to the month's last day. */
export function addMonthsToDay(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  for (let dd = d; dd >= 28; dd--) {
    const candidate = `${year}-${pad(month)}-${pad(dd)}`;
    if (isRealDay(candidate)) return candidate;
  }
  return `${year}-${pad(month)}-${pad(Math.min(d, 28))}`;
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** When a term of `months` that starts at `startIso` has passed: 00:00 Amsterdam time after the last day. */
export function termEnd(startIso: string, months: number): string {
  return amsterdamInstant(nextDay(addMonthsToDay(amsterdamDay(startIso), months)), '00:00');
}

export type RetentionKind = 'draft' | 'notAwarded' | 'awarded';

export interface ApplicationTerm {
  kind: RetentionKind;
  /** What the term counts from (ISO). */
  from: string;
  /** When it has passed (ISO). */
  until: string;
}

/** The round's decision: its latest approval, or (none yet) the allocation report's deadline. */
export function roundDecidedAt(round: Round, decisionTimes: readonly string[]): string {
  return [...decisionTimes].sort().at(-1) ?? round.councilAllocationReportDue;
}

/** An application's term under its round's plan. */
export function applicationTerm(app: Application, round: Round, decisionTimes: readonly string[]): ApplicationTerm {
  const terms = retentionOf(round);
  if (app.status === 'draft') return { kind: 'draft', from: round.submissionDeadline, until: termEnd(round.submissionDeadline, terms.draftMonths) };
  if ((app.decision?.awarded ?? 0) > 0) {
    return { kind: 'awarded', from: round.councilResultsReportDue, until: termEnd(round.councilResultsReportDue, terms.awardedYears * 12) };
  }
  const from = app.decision?.decidedAt ?? roundDecidedAt(round, decisionTimes);
  return { kind: 'notAwarded', from, until: termEnd(from, terms.notAwardedMonths) };
}

/** When the people of a round (panel, consultation, the round's audit actors) are no longer named. */
export function peopleTermEnd(round: Round): string {
  return termEnd(round.councilResultsReportDue, FIXED_TERMS.peopleMonths);
}

/** When a published consultation's texts and names go (undefined while it is open). */
export function consultationTermEnd(consultation: { publishedAt?: string }): string | undefined {
  return consultation.publishedAt ? termEnd(consultation.publishedAt, FIXED_TERMS.consultationMonths) : undefined;
}

/** The applications whose term has passed at `now` and that are not anonymised yet. */
export function dueForAnonymisation(apps: readonly Application[], round: Round, decisionTimes: readonly string[], now: Date): Application[] {
  return apps.filter((a) => !a.anonymisedAt && Date.parse(applicationTerm(a, round, decisionTimes).until) <= now.getTime());
}

// ---------------------------------------------------------------------------------------------
// What each stored field is and what happens to it at the end of its term. The records below are
// typed `Record<keyof T, …>`, so a new field does not compile until it is classified here; and
// tests/domain/retention-fields.test.ts walks a record with every field set.

/** The category of a stored field (for the processing register and the closing note). */
export type DataCategory =
  | 'identity' // names, e-mail, phone, Entra/Teams ids
  | 'freeText' // typed by a person; may describe youth, care or people
  | 'organisation' // organisation names and registry ids (an eenmanszaak may name a person)
  | 'facts' // amounts, wijk, dates, status, scores: what the council is told
  | 'technical'; // revisions, positions, ETags, internal ids

/** Why something is kept after the term. */
export type KeptReason = 'councilReport' | 'subsidyFile' | 'woo' | 'notPersonal';

export type Fate =
  | { fate: 'removed' }
  | { fate: 'pseudonymised' }
  | { fate: 'kept'; why: KeptReason }
  | { fate: 'keptIfDecided'; why: KeptReason }
  /** The whole record is deleted at the end of its term (sent messages, addresses, files). */
  | { fate: 'deleted' };

export interface FieldClass {
  category: DataCategory;
  end: Fate;
}

const removed = (category: DataCategory): FieldClass => ({ category, end: { fate: 'removed' } });
const kept = (category: DataCategory, why: KeptReason): FieldClass => ({ category, end: { fate: 'kept', why } });
const pseudonymised: FieldClass = { category: 'identity', end: { fate: 'pseudonymised' } };

export const APPLICATION_FIELDS_CLASS: Record<keyof (ApplicationFields & OrganisationLinks), FieldClass> = {
  organisation: kept('organisation', 'woo'),
  organisationId: kept('organisation', 'councilReport'),
  contactName: removed('identity'),
  contactEmail: removed('identity'),
  contactPhone: removed('identity'),
  coApplicants: kept('organisation', 'subsidyFile'),
  coApplicantIds: kept('organisation', 'subsidyFile'),
  wijk: kept('facts', 'woo'),
  // In the decision record and the council report; an application never decided loses it.
  title: { category: 'freeText', end: { fate: 'keptIfDecided', why: 'councilReport' } },
  question: removed('freeText'),
  approach: removed('freeText'),
  livedExperience: removed('freeText'),
  ambitions: kept('facts', 'councilReport'),
  amount: kept('facts', 'woo'),
  // The lines stay (their amounts are the subsidy file's), their typed descriptions go: per part, BUDGET_LINE_CLASS.
  budgetLines: kept('facts', 'subsidyFile'),
  budgetBreakdown: removed('freeText'),
  periodStart: kept('facts', 'subsidyFile'),
  periodEnd: kept('facts', 'subsidyFile'),
  expectedResults: removed('freeText'),
  evidence: removed('freeText'),
  // The round's own questions: typed text and choices of any kind. Removed whole; the reports
  // never read them (they find amount, wijk and organisation by their bound fields).
  answers: removed('freeText'),
};

export const APPLICATION_ROW_CLASS: Record<keyof Application, FieldClass> = {
  id: kept('technical', 'notPersonal'),
  roundId: kept('technical', 'notPersonal'),
  applicantId: pseudonymised,
  status: kept('facts', 'councilReport'),
  rev: kept('technical', 'notPersonal'),
  position: kept('technical', 'notPersonal'),
  fields: kept('facts', 'councilReport'), // per field: APPLICATION_FIELDS_CLASS
  reference: kept('facts', 'woo'),
  createdAt: kept('facts', 'councilReport'),
  updatedAt: kept('technical', 'notPersonal'),
  submittedAt: kept('facts', 'councilReport'),
  formVersion: kept('technical', 'notPersonal'),
  withdrawnAt: kept('facts', 'councilReport'),
  decision: kept('facts', 'woo'),
  results: kept('facts', 'councilReport'), // per field: RESULTS_CLASS
  reviewNote: kept('facts', 'councilReport'),
  eligibility: kept('facts', 'subsidyFile'), // yes/no answers, no text
  reviewResult: kept('facts', 'councilReport'), // means, counts, the settling reason the council was told
  anonymisedAt: kept('facts', 'notPersonal'),
};

export const RESULTS_CLASS: Record<keyof ResultsReport, FieldClass> = {
  state: kept('facts', 'councilReport'),
  done: removed('freeText'),
  reached: removed('freeText'),
  learned: removed('freeText'),
  indicators: removed('freeText'),
  spent: kept('facts', 'councilReport'),
  updatedAt: kept('technical', 'notPersonal'),
  submittedAt: kept('facts', 'councilReport'),
};

/** Each budget line: the description is typed text, the amounts are facts the reports and the subsidy file keep. */
export const BUDGET_LINE_CLASS: Record<keyof BudgetLine, FieldClass> = {
  description: removed('freeText'),
  amount: kept('facts', 'subsidyFile'),
  ownContribution: kept('facts', 'subsidyFile'),
  coFunding: kept('facts', 'subsidyFile'),
};

export const SHEET_CLASS: Record<keyof ScoreSheet, FieldClass> = {
  // The member's id follows the panel membership's term (people of the round), not the application's.
  memberId: kept('identity', 'subsidyFile'),
  criteriaVersion: kept('technical', 'notPersonal'),
  scores: kept('facts', 'councilReport'),
  comments: removed('freeText'),
  overall: removed('freeText'),
  at: kept('facts', 'subsidyFile'),
  firstCountedAt: kept('facts', 'councilReport'),
  revisedAfterSeen: kept('facts', 'councilReport'),
};

export const RECUSAL_CLASS: Record<keyof Recusal, FieldClass> = {
  memberId: kept('identity', 'subsidyFile'),
  reason: kept('facts', 'councilReport'),
  note: removed('freeText'),
  at: kept('facts', 'subsidyFile'),
};

export const QUESTION_CLASS: Record<keyof Question, FieldClass> = {
  id: kept('technical', 'notPersonal'),
  applicationId: kept('technical', 'notPersonal'),
  askedBy: pseudonymised,
  text: removed('freeText'),
  askedAt: kept('facts', 'subsidyFile'),
  answer: removed('freeText'),
  answeredAt: kept('facts', 'subsidyFile'),
};

/** Which fields of each record are removed (computed from the classes above). */
const removedKeys = <T>(cls: Record<keyof T, FieldClass>) => (Object.keys(cls) as (keyof T)[]).filter((k) => cls[k].end.fate === 'removed');
const REMOVED_FIELDS = removedKeys<ApplicationFields & OrganisationLinks>(APPLICATION_FIELDS_CLASS);
const REMOVED_RESULTS = removedKeys<ResultsReport>(RESULTS_CLASS);

// ---------------------------------------------------------------------------------------------
// The plan: what anonymising would remove and keep (for the confirmation card and the outcome).

/** What was or would be removed, by kind, in counts a sentence can be computed from. */
export interface RemovedCounts {
  /** Names of the application's fields that had a value and go (contactName, question, …). */
  applicationFields: (keyof ApplicationFields)[];
  /** Names of the results report's texts that had a value and go. */
  resultsFields: (keyof ResultsReport)[];
  /** Panel comments (one per criterion and member) and overall remarks. */
  comments: number;
  overallRemarks: number;
  recusalNotes: number;
  questions: number;
  answers: number;
  /** The applicant's id replaced by a pseudonym. */
  applicantPseudonymised: boolean;
  /** Attached files deleted (rows and blobs); absent on markers written before files were counted. */
  files?: number;
  /** For a person (every role): remarks with their eens/oneens, texts of their consultation responses. */
  markRemarks?: number;
  consultationTexts?: number;
  /** Records where their name was replaced by the pseudonym label (panel rows, marks, the accounthouder record). */
  namesReplaced?: number;
  /** Their 1:1 chat and roster addresses deleted; `addressesLater` when one waits for a message still to be sent. */
  addresses?: number;
  addressesLater?: boolean;
}

/** What stays, and why (a card words each). */
export interface KeptItem {
  what: 'amounts' | 'wijk' | 'organisation' | 'scores' | 'dates' | 'status' | 'title' | 'reference';
  why: KeptReason;
}

export interface AnonymisationPlan {
  applicationId: string;
  reference?: string;
  removed: RemovedCounts;
  kept: KeptItem[];
  /** Nothing personal is left to remove (already anonymised, or an empty draft). */
  nothingToRemove: boolean;
}

const hasText = (v: unknown): boolean =>
  typeof v === 'string' ? v.length > 0 : Array.isArray(v) ? v.length > 0 : v && typeof v === 'object' ? Object.values(v).some(hasText) : v !== undefined;

/** What anonymising this application (with its review rows) removes and keeps. */
export function describeAnonymisation(
  app: Application,
  bundle: Pick<ReviewBundle, 'sheets' | 'recusals' | 'questions'> & Partial<Pick<ReviewBundle, 'attachments'>>,
): AnonymisationPlan {
  const fields = app.fields as Record<string, unknown>;
  const applicationFields = REMOVED_FIELDS.filter((f) => hasText(fields[f])) as (keyof ApplicationFields)[];
  if (!app.decision && hasText(app.fields.title)) applicationFields.push('title');
  if (app.fields.budgetLines?.some((l) => hasText(l.description))) applicationFields.push('budgetLines');
  const results = (app.results ?? {}) as Record<string, unknown>;
  const resultsFields = REMOVED_RESULTS.filter((f) => hasText(results[f]));
  const sheets = bundle.sheets.map((s) => ('value' in s ? s.value : s) as ScoreSheet);
  const questions = bundle.questions.map((q) => ('value' in q ? q.value : q) as Question);
  const removedCounts: RemovedCounts = {
    applicationFields,
    resultsFields,
    comments: sheets.reduce((n, s) => n + Object.values(s.comments ?? {}).filter(hasText).length, 0),
    overallRemarks: sheets.filter((s) => hasText(s.overall)).length,
    recusalNotes: bundle.recusals.filter((r) => hasText(r.note)).length,
    questions: questions.filter((q) => hasText(q.text)).length,
    answers: questions.filter((q) => hasText(q.answer)).length,
    applicantPseudonymised: !app.anonymisedAt,
    files: bundle.attachments?.length ?? 0,
  };
  const keptItems: KeptItem[] = [
    ...(app.reference ? [{ what: 'reference', why: 'woo' } as const] : []),
    ...(app.fields.organisation ? [{ what: 'organisation', why: 'woo' } as const] : []),
    ...(app.fields.wijk ? [{ what: 'wijk', why: 'woo' } as const] : []),
    ...(app.fields.amount !== undefined || app.decision ? [{ what: 'amounts', why: 'woo' } as const] : []),
    ...(app.decision && app.fields.title ? [{ what: 'title', why: 'councilReport' } as const] : []),
    ...(app.reviewResult ? [{ what: 'scores', why: 'councilReport' } as const] : []),
    { what: 'dates', why: 'subsidyFile' },
    { what: 'status', why: 'councilReport' },
  ];
  const nothingToRemove =
    Boolean(app.anonymisedAt) ||
    (applicationFields.length === 0 &&
      resultsFields.length === 0 &&
      removedCounts.comments +
        removedCounts.overallRemarks +
        removedCounts.recusalNotes +
        removedCounts.questions +
        removedCounts.answers +
        (removedCounts.files ?? 0) ===
        0 &&
      app.status === 'draft');
  return { applicationId: app.id, ...(app.reference ? { reference: app.reference } : {}), removed: removedCounts, kept: keptItems, nothingToRemove };
}

/** The number of things a plan removes (for counts in a sentence). */
export function removedTotal(r: RemovedCounts): number {
  return r.applicationFields.length + r.resultsFields.length + r.comments + r.overallRemarks + r.recusalNotes + r.questions + r.answers + (r.files ?? 0);
}

// ---------------------------------------------------------------------------------------------
// The transforms: each returns the record as it is kept. Applying one twice gives the same record.

/** A pseudonym starts with this: applying the transform again leaves it as it is. */
export const PSEUDONYM_PREFIX = 'psn_';
const once = (id: string, pseudonym: (id: string) => string) => (id.startsWith(PSEUDONYM_PREFIX) || id === 'system' ? id : pseudonym(id));

export function anonymisedApplication(app: Application, pseudonym: (id: string) => string, now: Date): Application {
  const fields: ApplicationFields & OrganisationLinks = { ...app.fields };
  for (const f of REMOVED_FIELDS) delete fields[f];
  if (!app.decision) delete fields.title;
  if (fields.budgetLines) fields.budgetLines = linesWithoutTexts(fields.budgetLines);
  let results: ResultsReport | undefined;
  if (app.results) {
    results = { ...app.results };
    for (const f of REMOVED_RESULTS) delete results[f];
  }
  const { results: _dropped, ...rest } = app;
  const at = app.anonymisedAt ?? now.toISOString();
  return {
    ...rest,
    applicantId: once(app.applicantId, pseudonym),
    fields,
    ...(results ? { results } : {}),
    rev: app.anonymisedAt ? app.rev : app.rev + 1,
    updatedAt: app.anonymisedAt ? app.updatedAt : at,
    anonymisedAt: at,
  };
}

export function anonymisedSheet(sheet: ScoreSheet): ScoreSheet {
  return { ...sheet, comments: {}, overall: '' };
}

export function anonymisedRecusal(recusal: Recusal): Recusal {
  const { note: _note, ...rest } = recusal;
  return rest;
}

export function anonymisedQuestion(q: Question, pseudonym: (id: string) => string): Question {
  const { answer: _answer, ...rest } = q;
  return { ...rest, askedBy: once(q.askedBy, pseudonym), text: '' };
}

export function anonymisedReview(review: ReviewRecord, pseudonym: (id: string) => string): ReviewRecord {
  return review.settled ? { ...review, settled: { ...review.settled, by: once(review.settled.by, pseudonym) } } : review;
}

export const isPseudonym = (id: string) => id.startsWith(PSEUDONYM_PREFIX);

/**
 * What stands where a person's name was (panel rows, marks, invitations) once they are
 * anonymised: the same in both languages, with the pseudonym's first characters, so one person's
 * lines still go together and nobody is named.
 */
export const pseudonymLabel = (pseudonym: string) => `Anoniem ${pseudonym.slice(PSEUDONYM_PREFIX.length, PSEUDONYM_PREFIX.length + 4)}`;

/** A panel member's mark without their remark and with the label for their name; `removed` counts the remark. */
export function anonymisedMark(mark: PanelMark, label: string): { next: PanelMark; remark: boolean } {
  const { remark, ...rest } = mark;
  return { next: { ...rest, name: label }, remark: Boolean(remark) };
}

/**
 * A consultation response without the person's texts (the reasons, the changed titles and
 * descriptions they typed, their proposed criteria's texts): what they endorsed, the kinds of
 * change, the weights and the counts stay, so participation and the published criteria's history
 * still count. Returns how many texts went (0: nothing to write).
 */
export function anonymisedConsultationResponse(r: ConsultationResponse): { next: ConsultationResponse; texts: number } {
  let texts = 0;
  const perCriterion: Record<string, CriterionResponse> = {};
  for (const [id, c] of Object.entries(r.perCriterion)) {
    if (c.kind !== 'change') {
      perCriterion[id] = c;
      continue;
    }
    texts += [c.reason, c.change.title, c.change.description].filter(Boolean).length;
    perCriterion[id] = { kind: 'change', reason: '', change: c.change.weight === undefined ? {} : { weight: c.change.weight } };
  }
  const newCriteria = r.newCriteria.map((p) => {
    texts += [p.title, p.description, p.reason].filter(Boolean).length;
    return { title: '', description: '', reason: '', weight: p.weight };
  });
  return { next: { ...r, perCriterion, newCriteria }, texts };
}
export { once as pseudonymOnce };

/** Why an application was anonymised. */
export type AnonymiseReason = 'retention' | 'accounthouder' | 'request';

/** The done-marker of one application's anonymisation, in its round's partition. */
export interface AnonymisationMarker {
  applicationId: string;
  reason: AnonymiseReason;
  /** 'system' for the clock, else the accounthouder's id (pseudonymised with the rest of the round's actors later). */
  by: string;
  at: string;
  /**
   * 'rows-pending' only while a large review's rows follow the application row (see RetentionRepo);
   * 'files-pending' while the application's attachments (rows and blobs) are being deleted after
   * the application row was written. Only 'done' means nothing is left to do.
   */
  state: 'done' | 'rows-pending' | 'files-pending';
  removed: RemovedCounts;
}
