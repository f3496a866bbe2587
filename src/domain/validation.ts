import { AMBITIONS, Ambition, ApplicationFields, Step, STEP_FIELDS } from './application';
import { BudgetLineErrors, BudgetLineInputs, inputsOf, needsExplanation, parseBudgetLines, rowsFromInputs } from './budget-lines';
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
  | 'explainDifference';

export type FieldErrors = Partial<Record<keyof ApplicationFields, FieldErrorCode>> & {
  /** Per budget-line row (by its index on the card), when `budgetLines` is 'lineErrors'. */
  budgetLineRows?: BudgetLineErrors;
};

/** Fields typed as one text on a card (every field but the budget lines, which are rows). */
export type TextField = Exclude<keyof ApplicationFields, 'budgetLines'>;

/** Raw card input: what Teams sends for inputs is text; budget lines come as `line_<i>_<part>` inputs. */
export type RawInput = Partial<Record<TextField, string | undefined>> & BudgetLineInputs;

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
  coApplicants: {
    required: false,
    parse: (raw) => {
      if (raw.length > LIMITS.coApplicantsText) return { error: 'tooLong' };
      const names = raw
        .split(/[\n,;]+/)
        .map((s) => s.trim())
        .filter((s) => !isBlank(s));
      return names.length > LIMITS.coApplicantsCount ? { error: 'tooMany' } : { value: [...new Set(names)] };
    },
  },
  wijk: { required: true, parse: (raw, round) => (round.wijken.includes(raw) ? { value: raw } : { error: 'unknownWijk' }) },
  title: { required: true, parse: text(LIMITS.short) },
  question: { required: true, parse: text(LIMITS.long) },
  approach: { required: true, parse: text(LIMITS.approach) },
  livedExperience: { required: true, parse: text(LIMITS.long) },
  ambitions: {
    required: true,
    parse: (raw) => {
      const ids = [
        ...new Set(
          raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      if (ids.length === 0) return { error: 'required' };
      return ids.every((id): id is Ambition => (AMBITIONS as readonly string[]).includes(id)) ? { value: ids } : { error: 'unknownAmbition' };
    },
  },
  amount: {
    required: true,
    parse: (raw, round) => {
      // People write "12.500" or "€ 12 500": only the digits count, but cents are refused.
      const cleaned = raw.replace(/^€\s*/, '').replace(/[\s.](?=\d{3}(\D|$))/g, '');
      if (!/^-?\d+$/.test(cleaned)) return { error: 'wholeEuros' };
      const n = Number(cleaned);
      if (!Number.isSafeInteger(n)) return { error: 'wholeEuros' };
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

export function isRequired(field: keyof ApplicationFields): boolean {
  // At least one budget line (the explanation below them is required only when they do not add up).
  return field === 'budgetLines' ? true : RULES[field].required;
}

/**
 * Validates one step's raw input. On success returns the normalised values of that step (absent
 * fields cleared); on failure the error per field, and nothing is to be stored.
 */
export function validateStep(step: Step, raw: RawInput, round: Round, completeness: Completeness): Result<ApplicationFields, FieldErrors> {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const field of STEP_FIELDS[step]) {
    if (field === 'budgetLines') continue;
    // Only spaces and zero-width characters is empty; line ends from any device read as newline.
    const typed = withNewlines(raw[field] ?? '');
    const input = isBlank(typed) ? '' : typed.trim();
    if (input === '') {
      if (RULES[field].required && completeness === 'complete') errors[field] = 'required';
      values[field] = undefined;
      continue;
    }
    if (hasControlCharacters(input)) {
      errors[field] = 'controlCharacters';
      continue;
    }
    const parsed = RULES[field].parse(input, round);
    if (parsed.error) errors[field] = parsed.error;
    else values[field] = parsed.value;
  }
  if (
    step === 'budget' &&
    !errors.periodStart &&
    !errors.periodEnd &&
    values.periodStart &&
    values.periodEnd &&
    String(values.periodEnd) < String(values.periodStart)
  ) {
    errors.periodEnd = 'periodOrder';
  }
  if (STEP_FIELDS[step].includes('budgetLines')) budgetLinesRule(raw, values, errors, completeness);
  return Object.keys(errors).length > 0 ? err(errors) : ok(values as ApplicationFields);
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

/** The stored fields of a step, back in the raw shape a card shows (for re-validation and prefill). */
export function toRawInput(fields: ApplicationFields): RawInput {
  const raw: RawInput = {};
  for (const [k, v] of Object.entries(fields) as [keyof ApplicationFields, unknown][]) {
    if (v === undefined) continue;
    if (k === 'budgetLines') {
      Object.assign(raw, inputsOf(fields.budgetLines));
      continue;
    }
    raw[k] = Array.isArray(v) ? (k === 'coApplicants' ? v.join('\n') : v.join(',')) : String(v);
  }
  return raw;
}

export function isStepComplete(round: Round) {
  return (step: Step, fields: ApplicationFields): boolean => validateStep(step, toRawInput(fields), round, 'complete').ok;
}
