import { ApplicationFields, Step, STEP_FIELDS, STEPS } from './application';
import type { AttachmentKind } from './attachments';

/**
 * A round's application form as data: steps, and in each step questions with a type. Questions
 * whose id is a key of `ApplicationFields` are *bound*: their answer is stored in that field and
 * they have that field's type (the allocation, the registry, the routing and the council reports
 * read those fields). Any other question is the round's own: its answer is stored under its id in
 * `fields.answers`. The default form is the leerbudget's five steps, every question bound.
 *
 * A round without a `form` uses `DEFAULT_FORM`. The form is versioned and frozen at the round's
 * first submission, in the same guarded write as the criteria.
 */

export const QUESTION_TYPES = [
  'shortText',
  'longText',
  'euros',
  'number',
  'date',
  'email',
  'phone',
  'choice',
  'multiChoice',
  'wijk',
  'organisation',
  'coApplicants',
  'budgetLines',
  'file',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** A text in both languages of the interface. */
export interface LocalText {
  nl: string;
  en: string;
}

export interface QuestionChoice {
  /** Stored in the answer; `[a-z0-9-]`, at most 40 characters. */
  id: string;
  label: LocalText;
}

export interface FormQuestion {
  /** A bound field's name (`amount`, `wijk`, …) or the round's own `q<n>` (`/^q\d{1,4}$/`). */
  id: string;
  type: QuestionType;
  /** Absent on a bound question: its standard label (in `i18n`) is shown. Required on the round's own. */
  label?: LocalText;
  help?: LocalText;
  required: boolean;
  /** Text types: most characters (never above the type's ceiling in `QUESTION_LIMITS`). */
  maxLength?: number;
  /** `euros` and `number`: the range, both ends included. */
  min?: number;
  max?: number;
  /** `choice` and `multiChoice`: 2 to `QUESTION_LIMITS.choices` choices. */
  choices?: QuestionChoice[];
  /** `file`: which kinds are taken for this document (absent: every kind the round takes). */
  kinds?: AttachmentKind[];
}

export interface FormStep {
  /** `/^[a-z][a-z0-9-]{0,31}$/`; the default form's steps are `STEPS`. */
  id: string;
  /** Absent on a default step: its standard title is shown. */
  title?: LocalText;
  questions: FormQuestion[];
}

export interface ApplicationForm {
  /** Raised by every change; an application keeps the version it was submitted with. */
  version: number;
  steps: FormStep[];
}

/** Ceilings of a form (the editor refuses more; a form at every ceiling fits Table Storage and a Teams message). */
export const QUESTION_LIMITS = {
  steps: 8,
  questionsPerStep: 12,
  questions: 40,
  label: 200,
  help: 400,
  shortText: 200,
  longText: 4000,
  choices: 12,
  choiceLabel: 80,
} as const;

export const QUESTION_ID = /^q\d{1,4}$/;
export const STEP_ID = /^[a-z][a-z0-9-]{0,31}$/;
export const CHOICE_ID = /^[a-z0-9-]{1,40}$/;

/** The type a bound field has; a question with that id must have this type. */
export const BOUND_TYPES: { readonly [K in keyof ApplicationFields]-?: QuestionType } = {
  organisation: 'organisation',
  contactName: 'shortText',
  contactEmail: 'email',
  contactPhone: 'phone',
  coApplicants: 'coApplicants',
  wijk: 'wijk',
  title: 'shortText',
  question: 'longText',
  approach: 'longText',
  livedExperience: 'longText',
  ambitions: 'multiChoice',
  amount: 'euros',
  budgetLines: 'budgetLines',
  budgetBreakdown: 'longText',
  periodStart: 'date',
  periodEnd: 'date',
  expectedResults: 'longText',
  evidence: 'longText',
};

/** Bound questions every form has: the registry, the routing, the allocation and the reports need them. */
export const CORE_FIELDS = ['organisation', 'wijk', 'title', 'amount', 'contactName', 'contactEmail'] as const satisfies readonly (keyof ApplicationFields)[];

export function isBoundField(id: string): id is keyof ApplicationFields {
  return Object.prototype.hasOwnProperty.call(BOUND_TYPES, id);
}

// The budget's explanation is required only when the budget lines do not add up to the amount (`domain/budget-lines.ts`).
const OPTIONAL_BY_DEFAULT: readonly (keyof ApplicationFields)[] = ['contactPhone', 'coApplicants', 'budgetBreakdown'];

export const DEFAULT_FORM: ApplicationForm = {
  version: 1,
  steps: STEPS.map((step: Step) => ({
    id: step,
    questions: STEP_FIELDS[step].map((field) => ({ id: field, type: BOUND_TYPES[field], required: !OPTIONAL_BY_DEFAULT.includes(field) })),
  })),
};

/** The form a round's applications follow. */
export function formOf(round: { form?: ApplicationForm }): ApplicationForm {
  return round.form ?? DEFAULT_FORM;
}

/** Every question of the form, in order, with the step it is in. */
export function questionsOf(form: ApplicationForm): { step: FormStep; question: FormQuestion }[] {
  return form.steps.flatMap((step) => step.questions.map((question) => ({ step, question })));
}

/** The first question of a type (the reports find the amount, wijk and organisation this way). */
export function questionOfType(form: ApplicationForm, type: QuestionType): FormQuestion | undefined {
  return questionsOf(form).find((q) => q.question.type === type)?.question;
}
