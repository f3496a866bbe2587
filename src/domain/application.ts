import type { BudgetLine } from './budget-lines';
import type { EligibilityAnswers } from './eligibility';
import type { ReviewResult } from './review-result';
import { err, ok, Result } from './result';
import { DEFAULT_FORM_VERSION } from './form-types';
import { Round, submissionWindow, SubmissionWindow } from './round';
import type { ResultsReport } from './results';

/** Lifecycle of an aanvraag. */
export type ApplicationStatus = 'draft' | 'submitted' | 'in_review' | 'reviewed' | 'awarded' | 'declined' | 'withdrawn' | 'results_reported';

export const DECIDED: readonly ApplicationStatus[] = ['awarded', 'declined', 'results_reported'];
const WITHDRAWABLE: readonly ApplicationStatus[] = ['submitted', 'in_review', 'reviewed'];

/** The three ambitions of the sociale basis in Zwolle. */
export const AMBITIONS = ['contact', 'vitaal', 'kansen'] as const;
export type Ambition = (typeof AMBITIONS)[number];

export interface ApplicationFields {
  organisation?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
  coApplicants?: string[];
  wijk?: string;
  title?: string;
  question?: string;
  approach?: string;
  livedExperience?: string;
  ambitions?: Ambition[];
  amount?: number;
  /** The itemised budget (`domain/budget-lines.ts`): whole euros; the lines' amounts sum to `amount` or `budgetBreakdown` explains why not. */
  budgetLines?: BudgetLine[];
  budgetBreakdown?: string;
  periodStart?: string;
  periodEnd?: string;
  expectedResults?: string;
  evidence?: string;
  /** Answers to the round's own questions (`q<n>` of its form), by question id. */
  answers?: Record<string, Answer>;
}

/** An answer to one of the round's own questions: text, a whole or decimal number, or several choices (names). */
export type Answer = string | number | string[];

/** The fields a form question can be bound to (every field but the round's own answers). */
export type BoundField = Exclude<keyof ApplicationFields, 'answers'>;

/**
 * Links from an application to the organisation registry, set by the bot (not typed on a card).
 * `coApplicantIds[i]` is the registry entry of `coApplicants[i]`. Optional: applications from
 * before the registry have only the names.
 */
export interface OrganisationLinks {
  organisationId?: string;
  coApplicantIds?: string[];
}

export const STEPS = ['organisation', 'question', 'approach', 'budget', 'results'] as const;
export type Step = (typeof STEPS)[number];
/** Where a draft is: a step id of its round's form (`STEPS` for the default form), or the summary before submission. */
export type Position = string;

export const STEP_FIELDS: { readonly [S in Step]: readonly BoundField[] } = {
  organisation: ['organisation', 'contactName', 'contactEmail', 'contactPhone', 'coApplicants'],
  question: ['wijk', 'title', 'question'],
  approach: ['approach', 'livedExperience', 'ambitions'],
  budget: ['amount', 'budgetLines', 'budgetBreakdown', 'periodStart', 'periodEnd'],
  results: ['expectedResults', 'evidence'],
};

export interface Application {
  id: string;
  roundId: string;
  /** Entra object id of the applicant, from the activity. */
  applicantId: string;
  status: ApplicationStatus;
  /** Increases with every change; a card carries the revision it was drawn from. */
  rev: number;
  position: Position;
  /** What the applicant entered, and the registry ids of the organisations named in it. */
  fields: ApplicationFields & OrganisationLinks;
  reference?: string;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  /** The version of the round's form it was submitted with (set at submission). */
  formVersion?: number;
  withdrawnAt?: string;
  /** Set by the accounthouder's approval. */
  decision?: ApplicationDecision;
  /** The awarded partner's report on effect and results. */
  results?: ResultsReport;
  /** The panel's result, kept when the review closes (it cannot change afterwards): the allocation reads it from here. */
  /**
   * Where the review stands when it is not simply in progress: 'delayed' while it waits for the
   * accounthouder (stuck, or given a later deadline), 'settled' when the accounthouder closed it
   * without the quorum. The applicant's status says so.
   */
  reviewNote?: 'delayed' | 'settled';
  /** The applicant's answers on the eligibility card that opened this draft (all yes: the door opens only then). */
  eligibility?: EligibilityAnswers;
  reviewResult?: ReviewResult;
  /** When its personal data was removed (retention or on request): from then on it is a record of facts only. */
  anonymisedAt?: string;
}

export interface ApplicationDecision {
  decisionId: string;
  outcome: 'awarded' | 'partial' | 'declined';
  /** Whole euros; 0 when declined. */
  awarded: number;
  decidedAt: string;
}

/** An application's id: 20 hex characters (a hash of the applicant and the card that started it). */
export const APPLICATION_ID = /^[a-f0-9]{20}$/;

export function newDraft(input: { id: string; roundId: string; applicantId: string; now: Date }): Application {
  const at = input.now.toISOString();
  return {
    id: input.id,
    roundId: input.roundId,
    applicantId: input.applicantId,
    status: 'draft',
    rev: 1,
    position: 'organisation',
    fields: {},
    createdAt: at,
    updatedAt: at,
  };
}

/** The step ids of a round's form, in order (`STEPS` without a form). */
export function stepIdsOf(round: { form?: { steps: readonly { id: string }[] } }): readonly string[] {
  return round.form ? round.form.steps.map((s) => s.id) : STEPS;
}

/** The step after `step` in `steps` (a form's step ids), or the summary after the last. */
export function nextPosition(step: string, steps: readonly string[] = STEPS): Position {
  const i = steps.indexOf(step);
  return i < 0 || i === steps.length - 1 ? 'summary' : steps[i + 1]!;
}

export function previousPosition(step: string, steps: readonly string[] = STEPS): string {
  const i = steps.indexOf(step);
  return i < 0 ? (steps[0] ?? step) : steps[Math.max(0, i - 1)]!;
}

/** Stores a validated step and moves the draft to `to`. The round's own answers merge by question id (an emptied one goes). */
export function withStep(app: Application, values: ApplicationFields, to: Position, now: Date): Application {
  const { answers, ...bound } = values;
  const fields: ApplicationFields & OrganisationLinks = { ...app.fields, ...bound };
  if (answers) {
    const merged = Object.fromEntries(Object.entries({ ...app.fields.answers, ...answers }).filter(([, v]) => v !== undefined));
    if (Object.keys(merged).length > 0) fields.answers = merged;
    else delete fields.answers;
  }
  return { ...app, fields, position: to, rev: app.rev + 1, updatedAt: now.toISOString() };
}

export type SubmitError =
  | { code: 'NOT_DRAFT'; status: ApplicationStatus }
  | { code: 'WINDOW'; window: Exclude<SubmissionWindow, 'open'> }
  /** `step`: the first incomplete step's id in the round's form. */
  | { code: 'INCOMPLETE'; step: string };

/**
 * Checks a draft can be submitted and returns it as submitted, without a reference: the store
 * allocates the reference in the same transaction that saves it.
 */
export function submit(
  app: Application,
  round: Round,
  now: Date,
  isStepComplete: (step: string, fields: ApplicationFields) => boolean,
): Result<Application, SubmitError> {
  if (app.status !== 'draft') return err({ code: 'NOT_DRAFT', status: app.status });
  const window = submissionWindow(round, now);
  if (window !== 'open') return err({ code: 'WINDOW', window });
  const incomplete = stepIdsOf(round).find((s) => !isStepComplete(s, app.fields));
  if (incomplete) return err({ code: 'INCOMPLETE', step: incomplete });
  const at = now.toISOString();
  return ok({
    ...app,
    status: 'submitted',
    position: 'summary',
    rev: app.rev + 1,
    submittedAt: at,
    formVersion: round.form?.version ?? DEFAULT_FORM_VERSION,
    updatedAt: at,
  });
}

export function canWithdraw(status: ApplicationStatus): boolean {
  return WITHDRAWABLE.includes(status);
}

export function withdraw(app: Application, now: Date): Result<Application, { code: 'NOT_WITHDRAWABLE'; status: ApplicationStatus }> {
  if (!canWithdraw(app.status)) return err({ code: 'NOT_WITHDRAWABLE', status: app.status });
  const at = now.toISOString();
  return ok({ ...app, status: 'withdrawn', rev: app.rev + 1, withdrawnAt: at, updatedAt: at });
}
