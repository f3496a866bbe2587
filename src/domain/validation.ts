import { AMBITIONS, Ambition, Answer, ApplicationFields, BoundField } from './application';
import { BudgetLineErrors, inputsOf, needsExplanation, parseBudgetLines, rowsFromInputs } from './budget-lines';
import { ApplicationForm, DEFAULT_FORM, FormQuestion, FormStep, formOf, isBoundField, questionsOf, stepOf, textLimitOf } from './form';
import { err, ok, Result } from './result';
import { Round } from './round';
import { hasControlCharacters, isBlank, withNewlines } from './text';

export { hasControlCharacters, isBlank, readText, withNewlines } from './text';

/** Why a field was refused; the app layer words it in the user's language. */
export type FieldErrorCode =
  | 'required'
  | 'tooLong'
  | 'email'
  | 'phone'
  | 'wholeEuros'
  | 'positive'
  | 'aboveMax'
  | 'unknownWijk'
  | 'unknownAmbition'
  | 'tooMany'
  | 'date'
  | 'periodOrder'
  /** A control character other than newline and tab (see `text.ts`). */
  | 'controlCharacters'
  /** Budget lines: a row has an error (each row's errors are in `budgetLineRows`). */
  | 'lineErrors'
  /** The budget's explanation: required because the lines do not add up to the requested amount. */
  | 'explainDifference'
  /** The round's own questions: a number, below the question's minimum, a choice not listed. */
  | 'number'
  | 'belowMin'
  | 'unknownChoice'
  /** A question type this build cannot take typed input for (budget lines as a round's own question). */
  | 'unsupported';

/** Errors by question id (a bound field's name or the round's own `q<n>`), and per budget-line row. */
export type FieldErrors = Partial<Record<string, FieldErrorCode>> & {
  /** Per budget-line row (by its index on the card), when `budgetLines` is 'lineErrors'. */
  budgetLineRows?: BudgetLineErrors;
};

/** Field errors with the budget rows' own errors (the index signature keeps them out of a literal). */
export function withRowErrors(errors: Partial<Record<string, FieldErrorCode>>, rows: BudgetLineErrors): FieldErrors {
  const all: FieldErrors = { ...errors };
  all.budgetLineRows = rows;
  return all;
}

/** Fields typed as one text on a card (every field but the budget lines, which are rows). */
export type TextField = Exclude<BoundField, 'budgetLines'>;

/** Raw card input by question id: what Teams sends for inputs is text; budget lines come as `line_<i>_<part>` inputs. */
export type RawInput = Partial<Record<string, string | undefined>>;

/** 'complete' for moving on or submitting; 'partial' keeps what is there when going back. */
export type Completeness = 'complete' | 'partial';

export const LIMITS = {
  short: 120,
  name: 100,
  email: 200,
  phone: 30,
  coApplicantsText: 600,
  coApplicantsCount: 10,
  long: 2000,
  approach: 3000,
} as const;

type Parsed<T> = { value?: T; error?: FieldErrorCode };
type FieldRule = (raw: string, round: Round) => Parsed<unknown>;

const text =
  (max: number): FieldRule =>
  (raw) =>
    raw.length > max ? { error: 'tooLong' } : { value: raw };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9 ()-]{6,}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(raw: string): boolean {
  if (!DATE.test(raw)) return false;
  const d = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(raw);
}

/** Whole euros as people write them ("12.500", "€ 12 500"); cents refused. */
function parseEuros(raw: string): number | undefined {
  const cleaned = raw.replace(/^€\s*/, '').replace(/[\s.](?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+$/.test(cleaned)) return undefined;
  const n = Number(cleaned);
  return Number.isSafeInteger(n) ? n : undefined;
}

function parseNames(raw: string): Parsed<string[]> {
  if (raw.length > LIMITS.coApplicantsText) return { error: 'tooLong' };
  const names = raw
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter((s) => !isBlank(s));
  return names.length > LIMITS.coApplicantsCount ? { error: 'tooMany' } : { value: [...new Set(names)] };
}

const idList = (raw: string) => [
  ...new Set(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

const RULES: { readonly [K in TextField]-?: { required: boolean; parse: FieldRule } } = {
  organisation: { required: true, parse: text(LIMITS.short) },
  contactName: { required: true, parse: text(LIMITS.name) },
  contactEmail: {
    required: true,
    parse: (raw) => (raw.length > LIMITS.email ? { error: 'tooLong' } : EMAIL.test(raw) ? { value: raw.toLowerCase() } : { error: 'email' }),
  },
  contactPhone: {
    required: false,
    parse: (raw) => (raw.length > LIMITS.phone ? { error: 'tooLong' } : PHONE.test(raw) ? { value: raw } : { error: 'phone' }),
  },
  coApplicants: { required: false, parse: parseNames },
  wijk: { required: true, parse: (raw, round) => (round.wijken.includes(raw) ? { value: raw } : { error: 'unknownWijk' }) },
  title: { required: true, parse: text(LIMITS.short) },
  question: { required: true, parse: text(LIMITS.long) },
  approach: { required: true, parse: text(LIMITS.approach) },
  livedExperience: { required: true, parse: text(LIMITS.long) },
  ambitions: {
    required: true,
    parse: (raw) => {
      const ids = idList(raw);
      if (ids.length === 0) return { error: 'required' };
      return ids.every((id): id is Ambition => (AMBITIONS as readonly string[]).includes(id)) ? { value: ids } : { error: 'unknownAmbition' };
    },
  },
  amount: {
    required: true,
    parse: (raw, round) => {
      // People write "12.500" or "€ 12 500": only the digits count, but cents are refused.
      const n = parseEuros(raw);
      if (n === undefined) return { error: 'wholeEuros' };
      if (n <= 0) return { error: 'positive' };
      if (n > round.maxPerApplication) return { error: 'aboveMax' };
      return { value: n };
    },
  },
  budgetBreakdown: { required: false, parse: text(LIMITS.long) },
  periodStart: { required: true, parse: (raw) => (isRealDate(raw) ? { value: raw } : { error: 'date' }) },
  periodEnd: { required: true, parse: (raw) => (isRealDate(raw) ? { value: raw } : { error: 'date' }) },
  expectedResults: { required: true, parse: text(LIMITS.long) },
  evidence: { required: true, parse: text(LIMITS.long) },
};

export function isRequired(field: BoundField): boolean {
  // At least one budget line (the explanation below them is required only when they do not add up).
  return field === 'budgetLines' ? true : RULES[field].required;
}

const NUMBER = /^-?\d{1,15}([.,]\d{1,6})?$/;

function inRange(n: number, q: FormQuestion): Parsed<number> {
  if (q.min !== undefined && n < q.min) return { error: 'belowMin' };
  if (q.max !== undefined && n > q.max) return { error: 'aboveMax' };
  return { value: n };
}

/**
 * The rule of one of the round's own questions, by its type. `file` takes no typed input (its
 * document is checked at submission against the attachments); `budgetLines` is the hook for the
 * budget-lines parser (`parseBudgetLines`): until it is in, typed input is refused as unsupported.
 */
const OWN_RULES: { readonly [T in FormQuestion['type']]: ((raw: string, q: FormQuestion, round: Round) => Parsed<Answer>) | undefined } = {
  shortText: (raw, q) => text(textLimitOf(q))(raw, undefined as never) as Parsed<string>,
  longText: (raw, q) => text(textLimitOf(q))(raw, undefined as never) as Parsed<string>,
  euros: (raw, q) => {
    const n = parseEuros(raw);
    if (n === undefined) return { error: 'wholeEuros' };
    if (n < 0) return { error: 'positive' };
    return inRange(n, q);
  },
  number: (raw, q) => (NUMBER.test(raw) ? inRange(Number(raw.replace(',', '.')), q) : { error: 'number' }),
  date: (raw) => (isRealDate(raw) ? { value: raw } : { error: 'date' }),
  email: (raw) => RULES.contactEmail.parse(raw, undefined as never) as Parsed<string>,
  phone: (raw) => RULES.contactPhone.parse(raw, undefined as never) as Parsed<string>,
  choice: (raw, q) => ((q.choices ?? []).some((c) => c.id === raw) ? { value: raw } : { error: 'unknownChoice' }),
  multiChoice: (raw, q) => {
    const ids = idList(raw);
    if (ids.length === 0) return { error: 'required' };
    return ids.every((id) => (q.choices ?? []).some((c) => c.id === id)) ? { value: ids } : { error: 'unknownChoice' };
  },
  wijk: (raw, _q, round) => RULES.wijk.parse(raw, round) as Parsed<string>,
  organisation: (raw) => text(LIMITS.short)(raw, undefined as never) as Parsed<string>,
  coApplicants: (raw) => parseNames(raw),
  budgetLines: undefined,
  file: undefined,
};

/** Whether a question takes typed input on its step (a file question does not: it is a document sent in the chat). */
export function takesInput(question: FormQuestion): boolean {
  return question.type !== 'file';
}

/** The step of the round's form with this id (a default step id outside a custom form falls back to the default form's). */
export function formStepOf(round: Round, step: string): FormStep | undefined {
  return stepOf(formOf(round), step) ?? (round.form ? undefined : stepOf(DEFAULT_FORM, step));
}

/**
 * Validates one step's raw input against the round's form: each question by its type, a bound
 * question by its field's rule (same codes as always: the amount keeps its `maxPerApplication`
 * cap). On success returns the normalised values of that step (absent fields cleared; the round's
 * own answers under `answers`); on failure the error per question, and nothing is to be stored.
 */
export function validateStep(step: string | FormStep, raw: RawInput, round: Round, completeness: Completeness): Result<ApplicationFields, FieldErrors> {
  const formStep = typeof step === 'string' ? formStepOf(round, step) : step;
  const values: Record<string, unknown> = {};
  const answers: Record<string, Answer | undefined> = {};
  const errors: FieldErrors = {};
  for (const question of formStep?.questions ?? []) {
    if (!takesInput(question) || question.type === 'budgetLines') continue;
    const id = question.id;
    const bound = isBoundField(id);
    const store = (v: Answer | undefined) => {
      if (bound) values[id] = v;
      else answers[id] = v;
    };
    // Only spaces and zero-width characters is empty; line ends from any device read as newline.
    const typed = withNewlines(raw[id] ?? '');
    const input = isBlank(typed) ? '' : typed.trim();
    if (input === '') {
      if (question.required && completeness === 'complete') errors[id] = 'required';
      store(undefined);
      continue;
    }
    if (hasControlCharacters(input)) {
      errors[id] = 'controlCharacters';
      continue;
    }
    if (bound && question.maxLength !== undefined && input.length > question.maxLength) {
      errors[id] = 'tooLong';
      continue;
    }
    const rule = bound
      ? (r: string) => RULES[id as TextField].parse(r, round)
      : (r: string) => OWN_RULES[question.type]?.(r, question, round) ?? { error: 'unsupported' as const };
    const parsed = rule(input);
    if (parsed.error) errors[id] = parsed.error;
    else store(parsed.value as Answer);
  }
  if (!errors.periodStart && !errors.periodEnd && values.periodStart && values.periodEnd && String(values.periodEnd) < String(values.periodStart)) {
    errors.periodEnd = 'periodOrder';
  }
  const linesQuestion = formStep?.questions.find((q) => q.id === 'budgetLines');
  if (linesQuestion) budgetLinesRule(raw, values, errors, linesQuestion.required ? completeness : 'partial');
  if (Object.keys(errors).length > 0) return err(errors);
  if (Object.keys(answers).length > 0) values.answers = answers;
  return ok(values as ApplicationFields);
}

/**
 * The budget lines of a step (see `domain/budget-lines.ts`): rows parsed against the amount
 * typed in the same step; at least one line to move on; and when the lines do not add up to the
 * amount, the explanation (`budgetBreakdown`) must say why.
 */
function budgetLinesRule(raw: RawInput, values: Record<string, unknown>, errors: FieldErrors, completeness: Completeness): void {
  const amount = typeof values.amount === 'number' ? values.amount : undefined;
  const parsed = parseBudgetLines(rowsFromInputs(raw), amount);
  if (!parsed.ok) {
    if (parsed.error.code === 'tooMany') errors.budgetLines = 'tooMany';
    else {
      errors.budgetLines = 'lineErrors';
      errors.budgetLineRows = parsed.error.rows;
    }
    return;
  }
  if (parsed.value.length === 0) {
    if (completeness === 'complete') errors.budgetLines = 'required';
    values.budgetLines = undefined;
    return;
  }
  values.budgetLines = parsed.value;
  if (completeness === 'complete' && !errors.budgetBreakdown && !values.budgetBreakdown && needsExplanation(parsed.value, amount)) {
    errors.budgetBreakdown = 'explainDifference';
  }
}

/** The stored fields (and the round's own answers), back in the raw shape a card shows (for re-validation and prefill). */
export function toRawInput(fields: ApplicationFields, form: ApplicationForm = DEFAULT_FORM): RawInput {
  const raw: RawInput = {};
  const { answers, ...bound } = fields;
  for (const [k, v] of Object.entries(bound) as [string, unknown][]) {
    if (v === undefined) continue;
    if (k === 'budgetLines') {
      Object.assign(raw, inputsOf(fields.budgetLines));
      continue;
    }
    raw[k] = Array.isArray(v) ? (k === 'coApplicants' ? v.join('\n') : v.join(',')) : String(v);
  }
  const types = new Map(questionsOf(form).map(({ question }) => [question.id, question.type]));
  for (const [k, v] of Object.entries(answers ?? {})) {
    if (v === undefined || isBoundField(k)) continue;
    raw[k] = Array.isArray(v) ? v.join(types.get(k) === 'coApplicants' ? '\n' : ',') : String(v);
  }
  return raw;
}

export function isStepComplete(round: Round) {
  return (step: string, fields: ApplicationFields): boolean => validateStep(step, toRawInput(fields, formOf(round)), round, 'complete').ok;
}
