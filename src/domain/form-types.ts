import type { AttachmentKind } from './attachment-kinds';

/**
 * The types of a round's application form (see `form.ts`, which re-exports them). They live apart
 * so that `round.ts` can name a round's form without importing the application rules.
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
  /**
   * The most characters one step's own questions may have in text answers (the sum of their
   * `maxLength`s) and choice labels together: the step card shows every typed answer whole and
   * every choice, and must stay within Teams' 80 KB (`stepAnswerChars`; the editor refuses a step
   * above it).
   */
  stepAnswerChars: 8_000,
} as const;

export const QUESTION_ID = /^q\d{1,4}$/;
export const STEP_ID = /^[a-z][a-z0-9-]{0,31}$/;
export const CHOICE_ID = /^[a-z0-9-]{1,40}$/;

/** The version of `DEFAULT_FORM` (and of a round without a form). */
export const DEFAULT_FORM_VERSION = 1;
