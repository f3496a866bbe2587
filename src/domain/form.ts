import { BoundField, Step, STEP_FIELDS, STEPS } from './application';
import { ApplicationForm, DEFAULT_FORM_VERSION, FormQuestion, FormStep, QUESTION_LIMITS, QuestionType } from './form-types';

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

export * from './form-types';

/** The type a bound field has; a question with that id must have this type. */
export const BOUND_TYPES: { readonly [K in BoundField]-?: QuestionType } = {
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
export const CORE_FIELDS = ['organisation', 'wijk', 'title', 'amount', 'contactName', 'contactEmail'] as const satisfies readonly BoundField[];

export function isBoundField(id: string): id is BoundField {
  return Object.prototype.hasOwnProperty.call(BOUND_TYPES, id);
}

// The budget's explanation is required only when the budget lines do not add up to the amount (`domain/budget-lines.ts`).
const OPTIONAL_BY_DEFAULT: readonly BoundField[] = ['contactPhone', 'coApplicants', 'budgetBreakdown'];

export const DEFAULT_FORM: ApplicationForm = {
  version: DEFAULT_FORM_VERSION,
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

/** A step of the form by its id. */
export function stepOf(form: ApplicationForm, id: string): FormStep | undefined {
  return form.steps.find((s) => s.id === id);
}

/** The round's own questions (answers in `fields.answers`), in form order. */
export function ownQuestionsOf(form: ApplicationForm): FormQuestion[] {
  return questionsOf(form)
    .map((q) => q.question)
    .filter((q) => !isBoundField(q.id));
}

/** The form's file questions: the documents the form asks for. */
export function fileQuestionsOf(form: ApplicationForm): FormQuestion[] {
  return questionsOf(form)
    .map((q) => q.question)
    .filter((q) => q.type === 'file');
}

/** The most characters a text answer of this question may have: its own `maxLength`, never above its type's ceiling. */
export function textLimitOf(question: FormQuestion): number {
  const ceiling = question.type === 'longText' ? QUESTION_LIMITS.longText : QUESTION_LIMITS.shortText;
  return Math.min(question.maxLength ?? ceiling, ceiling);
}

/**
 * The words in a file's name that make it the document a file question asks for: the words of
 * its labels (4 letters or more, lower case) and its id. The first is named in the hint.
 */
export function documentWordsOf(question: FormQuestion, lang: 'nl' | 'en' = 'nl'): string[] {
  const words = (text: string | undefined) => (text ?? '').toLowerCase().match(/\p{L}{4,}/gu) ?? [];
  const other = lang === 'nl' ? 'en' : 'nl';
  return [...new Set([...words(question.label?.[lang]), ...words(question.label?.[other]), question.id])];
}

/** Whether two stored forms are the same (absent is the default form). */
export function sameForm(a: ApplicationForm | undefined, b: ApplicationForm | undefined): boolean {
  return JSON.stringify(a ?? DEFAULT_FORM) === JSON.stringify(b ?? DEFAULT_FORM);
}

/**
 * The most characters a step's own questions can put on its card beyond labels and help: the
 * longest text answers (`maxLength`) and the choices' labels (the longer language). Checked
 * against `QUESTION_LIMITS.stepAnswerChars`.
 */
export function stepAnswerChars(step: FormStep): number {
  return step.questions
    .filter((q) => !isBoundField(q.id))
    .reduce(
      (n, q) =>
        n +
        (q.type === 'shortText' || q.type === 'longText' ? textLimitOf(q) : 0) +
        (q.choices ?? []).reduce((m, c) => m + Math.max(c.label.nl.length, c.label.en.length), 0),
      0,
    );
}
